// The few parts of s3rver (3.7, untyped CommonJS) the test helpers use.
declare module 's3rver' {
  import type { Server } from 'node:http';
  interface KoaContext {
    method: string;
    path: string;
    headers: Record<string, string | string[] | undefined>;
    status: number;
    body: unknown;
    type: string;
    set(name: string, value: string): void;
  }
  type Middleware = (ctx: KoaContext, next: () => Promise<void>) => Promise<void>;
  interface Options {
    port?: number;
    address?: string;
    silent?: boolean;
    directory: string;
    resetOnClose?: boolean;
    configureBuckets?: { name: string }[];
    allowMismatchedSignatures?: boolean;
  }
  class S3rver {
    constructor(options: Options);
    middleware: Middleware[];
    store: { existsObject(bucket: string, key: string): Promise<boolean> };
    run(): Promise<{ address: string; port: number }>;
    close(): Promise<void>;
    httpServer?: Server;
  }
  export default S3rver;
}
