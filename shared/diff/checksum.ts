// sha256 over canonical JSON (object keys sorted, no whitespace), fed to the hash piece by piece
// so a plan with many changes is never built as one string.
import { createHash, type Hash } from 'node:crypto';
import type { Stage } from './types.js';

type Json = string | number | boolean | null | undefined | Json[] | { [k: string]: Json };

function write(hash: Hash, value: Json): void {
  if (value === null || typeof value !== 'object') {
    // undefined only occurs as an absent optional field, which canonical JSON leaves out.
    hash.update(JSON.stringify(value ?? null));
    return;
  }
  if (Array.isArray(value)) {
    hash.update('[');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) hash.update(',');
      write(hash, value[i]);
    }
    hash.update(']');
    return;
  }
  hash.update('{');
  let first = true;
  for (const key of Object.keys(value).sort()) {
    const v = value[key];
    if (v === undefined) continue;
    if (!first) hash.update(',');
    first = false;
    hash.update(JSON.stringify(key));
    hash.update(':');
    write(hash, v);
  }
  hash.update('}');
}

export function canonicalSha256(value: Json): string {
  const hash = createHash('sha256');
  write(hash, value);
  return hash.digest('hex');
}

/** The plan checksum: stages only, so the same work planned by two runs has the same checksum. */
export function stagesChecksum(stages: readonly Stage[]): string {
  return canonicalSha256(stages as unknown as Json);
}
