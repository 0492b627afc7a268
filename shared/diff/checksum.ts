// sha256 over canonical JSON (object keys sorted, no whitespace). The text is fed to the hash in
// chunks, so a plan with many changes is never built as one string, yet the hash is not called
// once per token either.
import { createHash, type Hash } from 'node:crypto';
import type { Stage } from './types.js';

type Json = string | number | boolean | null | undefined | Json[] | { [k: string]: Json };

const CHUNK = 1024;

class CanonicalWriter {
  private parts: string[] = [];
  constructor(private readonly hash: Hash) {}

  private push(text: string): void {
    this.parts.push(text);
    if (this.parts.length >= CHUNK) this.flush();
  }

  flush(): void {
    if (this.parts.length === 0) return;
    this.hash.update(this.parts.join(''));
    this.parts = [];
  }

  write(value: Json): void {
    if (value === null || typeof value !== 'object') {
      // undefined only occurs as an absent optional field, which canonical JSON leaves out.
      this.push(JSON.stringify(value ?? null));
      return;
    }
    if (Array.isArray(value)) {
      this.push('[');
      for (let i = 0; i < value.length; i++) {
        if (i > 0) this.push(',');
        this.write(value[i]);
      }
      this.push(']');
      return;
    }
    this.push('{');
    let first = true;
    for (const key of Object.keys(value).sort()) {
      const v = value[key];
      if (v === undefined) continue;
      this.push(first ? `${JSON.stringify(key)}:` : `,${JSON.stringify(key)}:`);
      first = false;
      this.write(v);
    }
    this.push('}');
  }
}

export function canonicalSha256(value: Json): string {
  const hash = createHash('sha256');
  const writer = new CanonicalWriter(hash);
  writer.write(value);
  writer.flush();
  return hash.digest('hex');
}

/** The plan checksum: stages only, so the same work planned by two runs has the same checksum. */
export function stagesChecksum(stages: readonly Stage[]): string {
  return canonicalSha256(stages as unknown as Json);
}
