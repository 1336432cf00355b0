// The demo store's catalogue: each service, the kind of signature make-demo-store.mjs gives its
// image, and the verdict each kind must get under the demo key (written to expected.json and
// checked by the tests).
export const SERVICES = [
  {
    id: 'pinboard',
    name: 'Pinboard Notes',
    kind: 'verified',
    tagline: 'Shared notes and checklists for everyone on the cell.',
    category: 'productivity',
    description:
      'A small shared notebook: pin notes, tick off checklists, share them with the people on your cell.\n\n**Demo:** this image is signed (classic cosign signature) with the demo store key, so it shows as *Verified*.',
    ports: [{ container: 8080, host: 8081, protocol: 'tcp' }],
    volumes: [{ name: 'notes-data', path: '/data' }],
    environment: { NOTES_TITLE: 'Our cell' },
  },
  {
    id: 'lumen-photos',
    name: 'Lumen Photos',
    kind: 'bundle',
    tagline: 'A private photo library for your cell.',
    category: 'media',
    description:
      'Upload, browse and share albums without a cloud.\n\n**Demo:** signed with the demo key in cosign\'s *bundle* format (a sigstore bundle attached as an OCI referrer), so it shows as *Verified*.',
    ports: [{ container: 2342, host: 2342, protocol: 'tcp' }],
    volumes: [{ name: 'photos', path: '/photos' }],
  },
  {
    id: 'open-wiki',
    name: 'Open Wiki',
    kind: 'unsigned',
    tagline: 'A wiki nobody has signed.',
    category: 'knowledge',
    description: '**Demo:** this image carries no signature at all, so it shows *Unsigned* and an enforcing cell refuses it.',
    ports: [{ container: 3000, host: 3001, protocol: 'tcp' }],
  },
  {
    id: 'relay-chat',
    name: 'Relay Chat',
    kind: 'tag-only',
    tagline: 'Team chat, pinned by tag only.',
    category: 'communication',
    description:
      '**Demo:** the listing names the image by tag (`:1.0`) with no digest. Tags can be moved after review, so it shows *Not pinned*, whatever signatures exist.',
    ports: [{ container: 5222, host: 5222, protocol: 'tcp' }],
    environment: { CHAT_ROOM: 'lobby' },
  },
  {
    id: 'backup-box',
    name: 'Backup Box',
    kind: 'other-key',
    tagline: 'Nightly backups, signed by someone else.',
    category: 'utilities',
    description:
      '**Demo:** signed, but with a key the demo store does not trust, so it shows *Signature invalid*.',
    volumes: [{ name: 'backups', path: '/backups' }],
  },
  {
    id: 'meter',
    name: 'Meter',
    kind: 'transplant',
    tagline: 'Metrics dashboard with a borrowed signature.',
    category: 'monitoring',
    description:
      '**Demo:** the signature attached to this image is a valid demo-key signature — of *another* image (Pinboard Notes), copied across. It verifies, but binds another digest, so it shows *Bound to another image*.',
    ports: [{ container: 9090, host: 9091, protocol: 'udp' }],
  },
];

/** The verdict each kind of demo service must get under the demo key (checked by a test). */
export const EXPECTED = {
  verified: 'VERIFIED',
  bundle: 'VERIFIED',
  unsigned: 'SIGNATURE_NOT_FOUND',
  'tag-only': 'DIGEST_MISSING',
  'other-key': 'SIGNATURE_INVALID',
  transplant: 'SIGNATURE_DIGEST_MISMATCH',
};
