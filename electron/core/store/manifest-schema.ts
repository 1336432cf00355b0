// The service manifest and store index schemas (DESIGN 2.1). Objects are strict: anything the
// table does not list (privileged, host networking, devices, bind mounts, capabilities) is an
// error rather than silently dropped, so a listing can never smuggle it in. Errors carry
// JSON-pointer paths so developers can find the field.
import { z } from 'zod';

const httpsUrl = z.string().max(2048).refine((s) => {
  try {
    return new URL(s).protocol === 'https:';
  } catch {
    return false;
  }
}, 'must be an https: URL');

const MAX_ICON_CHARS = 512 * 1024;
const icon = z.string().max(MAX_ICON_CHARS, `must be at most ${MAX_ICON_CHARS} characters`).refine(
  (s) => /^data:image\/(png|svg\+xml|webp);base64,[A-Za-z0-9+/]+={0,2}$/.test(s) || (s.startsWith('https:') && httpsUrl.safeParse(s).success),
  'must be an https: URL or a data:image/(png|svg+xml|webp);base64 URL',
);

// DESIGN 2.1: at most 8, each an https: URL or an inline PNG/WebP (no SVG for screenshots).
const MAX_SCREENSHOTS = 8;
const MAX_SCREENSHOT_CHARS = 2 * 1024 * 1024;
const screenshot = z.string().max(MAX_SCREENSHOT_CHARS, `must be at most ${MAX_SCREENSHOT_CHARS} characters`).refine(
  (s) => /^data:image\/(png|webp);base64,[A-Za-z0-9+/]+={0,2}$/.test(s) || (s.startsWith('https:') && httpsUrl.safeParse(s).success),
  'must be an https: URL or a data:image/(png|webp);base64 URL',
);

const port = z.number().int('must be an integer').min(1, 'must be 1–65535').max(65535, 'must be 1–65535');

const containerPath = z.string().max(4096).refine(
  (p) => p.startsWith('/') && !p.includes('\0') && !p.split('/').includes('..'),
  'must be an absolute container path without ".." segments',
);

const serviceId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must match ^[a-z0-9][a-z0-9-]{0,62}$');
const reason500 = z.string().min(1, 'must not be empty').max(500, 'must be at most 500 characters');

export const serviceManifestSchema = z.strictObject({
  id: serviceId,
  name: z.string().min(1, 'must not be empty').max(80, 'must be at most 80 characters'),
  version: z.string().min(1, 'must not be empty').max(64, 'must be at most 64 characters'),
  image: z.string().min(1, 'must not be empty').max(1024, 'must be at most 1024 characters'),
  tagline: z.string().max(140, 'must be at most 140 characters').optional(),
  description: z.string().max(20_000, 'must be at most 20,000 characters').optional(),
  category: z.string().regex(/^[\p{L}\p{N}][\p{L}\p{N}_-]{0,31}$/u, 'must be one short word').optional(),
  developer: z.strictObject({ name: z.string().min(1).max(80), url: httpsUrl }).optional(),
  icon: icon.optional(),
  screenshots: z.array(screenshot).max(MAX_SCREENSHOTS, `must list at most ${MAX_SCREENSHOTS} screenshots`).optional(),
  ports: z.array(z.strictObject({ container: port, host: port, protocol: z.enum(['tcp', 'udp']).default('tcp') })).max(64).optional(),
  environment: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'environment names must match ^[A-Za-z_][A-Za-z0-9_]*$'), z.string().max(8192)).optional(),
  volumes: z.array(z.strictObject({ name: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'must match ^[a-z0-9][a-z0-9_-]*$').max(64), path: containerPath })).max(32).optional(),
  // The store withdrew this service / no longer maintains it (DESIGN 2.9): they only restrict.
  revoked: z.strictObject({ reason: reason500, at: z.iso.datetime({ offset: true, error: 'must be an ISO-8601 date and time' }) }).optional(),
  endOfLife: z.strictObject({ reason: reason500, replacedBy: serviceId.optional() }).optional(),
});

export type ServiceManifest = z.infer<typeof serviceManifestSchema>;

const MAX_SERVICES = 10_000;

/** The index envelope; services are checked one by one so one bad manifest never breaks the rest. */
export const storeIndexSchema = z.strictObject({
  schemaVersion: z.literal(1, 'must be 1'),
  name: z.string().min(1, 'must not be empty').max(120, 'must be at most 120 characters'),
  services: z.array(z.unknown()).max(MAX_SERVICES, `must list at most ${MAX_SERVICES} services`),
  ociLayout: z.string().min(1).max(1024).optional(),
  /** DESIGN 2.8: "required" makes a valid transparency-log entry a condition of every signature. */
  policy: z.strictObject({ transparencyLog: z.enum(['if-present', 'required']).optional() }).optional(),
});

export interface SchemaError {
  /** JSON pointer (RFC 6901) of the offending value; '' for the document itself. */
  path: string;
  message: string;
}

function jsonPointer(path: readonly PropertyKey[]): string {
  return path.map((p) => `/${String(p).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

export function schemaErrors(error: z.ZodError, prefix = ''): SchemaError[] {
  return error.issues.map((i) => {
    let path = prefix + jsonPointer(i.path);
    let message = i.message;
    if (i.code === 'unrecognized_keys') {
      message = `not allowed in a store listing: ${i.keys.join(', ')}`;
      if (i.keys.length === 1) path = `${path}/${i.keys[0]!.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    } else if (i.code === 'invalid_key') {
      // zod says only "Invalid key in record"; the key's own rule (e.g. the environment name
      // pattern) is in the nested issues. The path already ends at the key.
      message = i.issues.map((n) => n.message).join('; ') || message;
    } else if (i.code === 'invalid_type' && i.input === undefined) {
      message = 'is required';
    }
    return { path, message };
  });
}
