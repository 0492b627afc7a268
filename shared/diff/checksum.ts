// sha256 over canonical JSON (object keys sorted, no whitespace). The text is fed to the hash in
// chunks of about 64 KiB, so a plan with many changes is never built as one string, yet the
// hash is not called once per token either.
import { createHash, type Hash } from 'node:crypto';
import type { Stage } from './types.js';

type Json = string | number | boolean | null | undefined | Json[] | { [k: string]: Json };

/** Text handed to the hash at a time: large enough that update() is called rarely, small
 *  enough that the plan's JSON never exists as one string. */
const CHUNK = 64 * 1024;

/** `"key":` by key; plans repeat a handful of field names thousands of times. */
const keyTexts = new Map<string, string>();

function keyText(key: string): string {
  let t = keyTexts.get(key);
  if (t === undefined) {
    t = `${JSON.stringify(key)}:`;
    if (keyTexts.size < 10_000) keyTexts.set(key, t);
  }
  return t;
}

class CanonicalWriter {
  private text = '';
  constructor(private readonly hash: Hash) {}

  flush(): void {
    if (this.text.length === 0) return;
    this.hash.update(this.text);
    this.text = '';
  }

  write(value: Json): void {
    if (value === null || typeof value !== 'object') {
      // undefined only occurs as an absent optional field, which canonical JSON leaves out.
      this.text += JSON.stringify(value ?? null);
    } else if (Array.isArray(value)) {
      if (value.length === 0) this.text += '[]';
      for (let i = 0; i < value.length; i++) {
        this.text += i === 0 ? '[' : ',';
        this.write(value[i]);
      }
      if (value.length > 0) this.text += ']';
    } else {
      const keys = Object.keys(value);
      if (keys.length > 1) keys.sort();
      let first = true;
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i] as string;
        const v = value[key];
        if (v === undefined) continue;
        this.text += first ? `{${keyText(key)}` : `,${keyText(key)}`;
        first = false;
        this.write(v);
      }
      this.text += first ? '{}' : '}';
    }
    if (this.text.length >= CHUNK) this.flush();
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
