// The HTTP shell both REST stand-ins share: latency, seeded fault injection, request
// counters, JSON responses, clean shutdown. Authentication and routing are the system's.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPrng } from '../dataset/prng.js';
import { RawJson } from './render-cache.js';

/** `lostResponse`: the request is handled (a write is applied), then the connection is dropped
 *  before the answer leaves, as when a proxy or the network loses it. */
export type FaultKind = 'error500' | 'rateLimit429' | 'drop' | 'lostResponse';

export interface RestStandinOptions {
  /** Accepted API token (default "standin-token"). */
  token?: string;
  /** Delay added before every response. */
  latencyMs?: number;
  /** Probability in [0, 1] that a request gets a fault instead of an answer. */
  faultRate?: number;
  faultSeed?: number;
  /** Which faults to draw from (default error500, rateLimit429 and drop). */
  faultKinds?: FaultKind[];
  /** HTTP methods faults apply to (default all). */
  faultMethods?: string[];
  /** Seconds announced in Retry-After on a 429 (default 1). */
  retryAfterSeconds?: number;
  /** MAX_PAGE_SIZE (default 1000; 0 disables the cap). */
  maxPageSize?: number;
  /** PAGINATE_COUNT (default 50). */
  defaultPageSize?: number;
  port?: number;
}

export interface Counters {
  requests: number;
  byPath: Record<string, number>;
  faults: number;
  /** Response body bytes sent (API answers only). */
  bytes: number;
  /** Most API requests open at once (received, response not yet finished or closed). */
  peakInFlight: number;
}

export interface Reply {
  status: number;
  /** Serialized with JSON.stringify, or sent verbatim when already RawJson; undefined sends no body. */
  body: unknown;
  headers?: Record<string, string>;
}

export interface RouteContext {
  req: IncomingMessage;
  url: URL;
}

export interface RunningServer {
  url: string;
  counters: Counters;
  resetCounters(): void;
  stop(): Promise<void>;
}

/** Where a running stand-in reports its Counters as JSON (outside /api/, so no real path clashes). */
export const COUNTERS_PATH = '/_standin/counters';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function startRestServer(
  opts: RestStandinOptions,
  handle: (ctx: RouteContext) => Reply | Promise<Reply>,
  baseHeaders: Record<string, string> = {},
): Promise<RunningServer> {
  const counters: Counters = { requests: 0, byPath: {}, faults: 0, bytes: 0, peakInFlight: 0 };
  let inFlight = 0;
  const faultRng = createPrng(opts.faultSeed ?? 1);
  const faultKinds = opts.faultKinds ?? ['error500', 'rateLimit429', 'drop'];
  const faultRate = opts.faultRate ?? 0;

  const send = (res: ServerResponse, reply: Reply): number => {
    if (reply.body === undefined) {
      // 204 No Content (a DELETE) and redirects: no body at all.
      res.writeHead(reply.status, { ...baseHeaders, ...reply.headers });
      res.end();
      return 0;
    }
    const body = reply.body instanceof RawJson ? reply.body.data : JSON.stringify(reply.body);
    const length = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
    res.writeHead(reply.status, {
      'Content-Type': 'application/json',
      'Content-Length': length,
      ...baseHeaders,
      ...reply.headers,
    });
    res.end(body);
    return length;
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
    // For a stand-in running in another process (the CLI): not counted, no latency, no faults.
    if (url.pathname === COUNTERS_PATH) {
      send(res, { status: 200, body: counters });
      return;
    }
    counters.requests += 1;
    counters.byPath[url.pathname] = (counters.byPath[url.pathname] ?? 0) + 1;
    inFlight += 1;
    counters.peakInFlight = Math.max(counters.peakInFlight, inFlight);
    res.once('close', () => (inFlight -= 1));
    const eligible = !opts.faultMethods || opts.faultMethods.includes(req.method ?? 'GET');
    const faulty = eligible && faultRate > 0 && faultRng.next() < faultRate;
    const kind = faulty ? faultKinds[Math.floor(faultRng.next() * faultKinds.length)] : undefined;
    void (async () => {
      if (opts.latencyMs) await sleep(opts.latencyMs);
      if (kind !== undefined) {
        counters.faults += 1;
        if (kind === 'drop') {
          req.socket.destroy();
          return;
        }
        if (kind === 'lostResponse') {
          try {
            await handle({ req, url });
          } finally {
            req.socket.destroy();
          }
          return;
        }
        if (kind === 'rateLimit429') {
          send(res, {
            status: 429,
            body: { detail: 'Request was throttled.' },
            headers: { 'Retry-After': String(opts.retryAfterSeconds ?? 1) },
          });
          return;
        }
        send(res, { status: 500, body: { error: 'Internal Server Error (stand-in fault injection)' } });
        return;
      }
      try {
        counters.bytes += send(res, await handle({ req, url }));
      } catch (err) {
        send(res, { status: 500, body: { error: err instanceof Error ? err.message : String(err) } });
      }
    })();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counters,
    resetCounters: () => {
      counters.requests = 0;
      counters.faults = 0;
      counters.bytes = 0;
      counters.peakInFlight = inFlight;
      for (const k of Object.keys(counters.byPath)) delete counters.byPath[k];
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** The whole request body as text (for writes). */
export async function readBody(req: IncomingMessage, limit = 10 * 1024 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > limit) throw new Error('request body too large');
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** `Authorization: Token <t>` value, or undefined. */
export function tokenFrom(header: string | undefined): { scheme: string; credential: string } | undefined {
  if (!header) return undefined;
  const m = /^(\S+)\s+(.+)$/.exec(header.trim());
  return m ? { scheme: (m[1] ?? '').toLowerCase(), credential: (m[2] ?? '').trim() } : undefined;
}
