// Types of scripts/tuf/tuf-repo.mjs for the TypeScript tests and testbed helpers.
import type { Signature } from '@tufjs/models';

export interface TufSigningKey {
  keyid: string;
  json: { keytype: string; scheme: string; keyval: { public: string } };
  pem: string;
  sign(bytes: Buffer): Signature;
}
type Json = Record<string, unknown> & { signed: Record<string, unknown> & { version: number; expires: string }; signatures: { keyid: string; sig: string }[] };
interface RoleRelease { version: number; expires: Date; keys: TufSigningKey[] }

export const ROLES: string[];
export const INDEX_TARGET: string;
export function tufDate(date: Date | number | string): string;
export function parseExpiry(text: string, now?: number): Date;
export function keyFromPem(pem: string | Buffer): TufSigningKey;
export function generateKey(type?: 'ed25519' | 'ecdsa'): TufSigningKey;
export function signMetadata(kind: string, signed: Record<string, unknown>, keys: TufSigningKey[]): Json;
export function latestRoot(repoDir: string): Json | null;
export function readRepository(repoDir: string): { root: Json | null; targets: Json | null; snapshot: Json | null; timestamp: Json | null };
export function writeRoot(repoDir: string, opts: { version: number; expires: Date; roleKeys: Record<string, TufSigningKey[]>; thresholds?: Record<string, number>; consistentSnapshot?: boolean; signWith?: TufSigningKey[] }): Json;
export function writeRelease(repoDir: string, opts: { indexBytes: Buffer | string; consistentSnapshot: boolean; targets: RoleRelease; snapshot: RoleRelease; timestamp: RoleRelease }): { targets: Json; snapshot: Json; timestamp: Json; bytes: { targets: Buffer; snapshot: Buffer; timestamp: Buffer; index: Buffer } };
export function writeTimestamp(repoDir: string, opts: { version: number; expires: Date; keys: TufSigningKey[] }): Json;
