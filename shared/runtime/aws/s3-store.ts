// ObjectStore over an S3 bucket. putIfAbsent is an S3 conditional write (If-None-Match: *),
// which S3 has honoured since 2024-08: of two racing writers exactly one gets 200, the other
// 412 PreconditionFailed (or 409 ConditionalRequestConflict while the first is in progress).
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { randomUUID } from 'node:crypto';
import type { ObjectStore } from '../ports.js';
import { prefixProblem } from '../../config/names.js';
import { ConfigError } from '../../errors.js';

interface AwsError {
  name?: string;
  $metadata?: { httpStatusCode?: number };
}

const status = (err: unknown) => (err as AwsError).$metadata?.httpStatusCode;
const isMissing = (err: unknown) => (err as AwsError).name === 'NoSuchKey' || status(err) === 404;
const isPreconditionFailed = (err: unknown) => (err as AwsError).name === 'PreconditionFailed' || status(err) === 412;
const isConflict = (err: unknown) => (err as AwsError).name === 'ConditionalRequestConflict' || status(err) === 409;

export interface S3StoreOptions {
  /** Key prefix inside the bucket (e.g. a tenant), without a trailing slash. */
  prefix?: string;
  /**
   * Before the first conditional write, check once that the endpoint refuses a second create
   * of one key. An endpoint that ignores If-None-Match would silently break exactly-once
   * fan-in; failing loudly is better. Default true.
   */
  verifyConditionalWrites?: boolean;
}

export class S3ObjectStore implements ObjectStore {
  private verified?: Promise<void>;
  private readonly prefix: string;

  constructor(
    private readonly client: S3Client,
    readonly bucket: string,
    private readonly options: S3StoreOptions = {},
  ) {
    // The prefix is a path inside the bucket every key hangs off: `../..` or a control
    // character would make keys the trigger can never read (see config/names.ts).
    const problem = options.prefix ? prefixProblem(options.prefix) : undefined;
    if (problem) throw new ConfigError(`store prefix: ${problem}`, { path: 'prefix' });
    this.prefix = options.prefix ? `${options.prefix.replace(/\/+$/, '')}/` : '';
  }

  async get(key: string): Promise<string | undefined> {
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.prefix + key }));
      return await out.Body?.transformToString('utf-8');
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw err;
    }
  }

  async put(key: string, body: string): Promise<void> {
    await this.client.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: this.prefix + key, Body: body, ContentType: contentType(key) }),
    );
  }

  async putIfAbsent(key: string, body: string): Promise<boolean> {
    if (this.options.verifyConditionalWrites !== false) await (this.verified ??= this.verify());
    return this.conditionalPut(key, body);
  }

  private async conditionalPut(key: string, body: string): Promise<boolean> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.client.send(
          new PutObjectCommand({
            Bucket: this.bucket,
            Key: this.prefix + key,
            Body: body,
            ContentType: contentType(key),
            IfNoneMatch: '*',
          }),
        );
        return true;
      } catch (err) {
        if (isPreconditionFailed(err)) return false;
        // 409: another conditional write of this key is in flight; retrying gets its outcome.
        if (isConflict(err) && attempt < 8) {
          await new Promise((r) => setTimeout(r, 20 * 2 ** attempt));
          continue;
        }
        throw err;
      }
    }
  }

  private async verify(): Promise<void> {
    const probe = `.probes/conditional-write-${randomUUID()}`;
    const first = await this.conditionalPut(probe, '1');
    const second = await this.conditionalPut(probe, '2');
    await this.delete(probe);
    if (!first || second) {
      this.verified = undefined;
      throw new Error(
        `S3 endpoint for bucket ${this.bucket} does not honour If-None-Match: * on PutObject; ` +
          'exactly-once fan-in needs conditional writes',
      );
    }
  }

  async list(prefix: string): Promise<string[]> {
    // ListObjects (v1) paged by marker = last key: every S3-compatible store supports it.
    const out: string[] = [];
    let marker: string | undefined;
    for (;;) {
      const page = await this.client.send(
        new ListObjectsCommand({ Bucket: this.bucket, Prefix: this.prefix + prefix, Marker: marker }),
      );
      const contents = page.Contents ?? [];
      for (const o of contents) if (o.Key) out.push(o.Key.slice(this.prefix.length));
      if (!page.IsTruncated || contents.length === 0) break;
      marker = contents[contents.length - 1]?.Key;
    }
    return out.sort();
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.prefix + key }));
  }
}

function contentType(key: string): string {
  if (key.endsWith('.json')) return 'application/json';
  if (key.endsWith('.yml') || key.endsWith('.yaml')) return 'application/yaml';
  return 'text/plain; charset=utf-8';
}
