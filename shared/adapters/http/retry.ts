// Retry with exponential backoff and jitter for every HTTP adapter (Infrahub, Nautobot, NetBox).
// Transient failures (429, 5xx, dropped connections) are retried; 4xx validation errors never are,
// because resending a request the server rejected on its content cannot succeed and may hide bugs.

export interface RetryInfo {
  /** 1 for the first retry. */
  attempt: number;
  delayMs: number;
  error: unknown;
}

export interface RetryOptions {
  /** Retries after the first attempt (default 4, so at most 5 calls). */
  retries?: number;
  /** Backoff base: the n-th retry waits about baseMs * 2^(n-1) (default 250). */
  baseMs?: number;
  /** Ceiling of one backoff wait and of an honoured Retry-After (default 30,000). */
  maxMs?: number;
  /** Whether an error is worth another attempt (default: isTransientError). */
  isRetryable?: (error: unknown) => boolean;
  /** Server-requested wait for an error, in ms (default: retryAfterFromError). */
  retryAfterMs?: (error: unknown) => number | undefined;
  onRetry?: (info: RetryInfo) => void;
  /** Stops waiting and rethrows the last error when aborted. */
  signal?: AbortSignal;
  /** Injected in tests so they need not wait; defaults to a timer. */
  sleep?: (ms: number) => Promise<void>;
  /** Injected in tests for deterministic jitter; defaults to Math.random. */
  random?: () => number;
}

/** An HTTP failure raised by an adapter's own fetch code, carrying what retry decisions need. */
export class HttpStatusError extends Error {
  override readonly name = 'HttpStatusError';
  constructor(
    readonly status: number,
    message: string,
    readonly headers?: Headers,
  ) {
    super(message);
  }
}

const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
]);
const TRANSIENT_MESSAGES = [/socket hang up/i, /fetch failed/i, /other side closed/i, /^terminated$/i];

function asRecord(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : undefined;
}

/** HTTP status of an error from fetch code, graphql-request's ClientError, or HttpStatusError. */
export function statusOf(error: unknown): number | undefined {
  const e = asRecord(error);
  if (!e) return undefined;
  for (const v of [e.status, e.statusCode, asRecord(e.response)?.status]) {
    if (typeof v === 'number' && v > 0) return v;
  }
  return undefined;
}

function headersOf(error: unknown): Headers | Record<string, unknown> | undefined {
  const e = asRecord(error);
  if (!e) return undefined;
  const h = e.headers ?? asRecord(e.response)?.headers;
  if (h instanceof Headers) return h;
  return asRecord(h);
}

/** A dropped, refused or timed-out connection, anywhere in the error's cause chain. */
export function isConnectionError(error: unknown): boolean {
  let cur: unknown = error;
  for (let depth = 0; cur && depth < 5; depth++) {
    const e = asRecord(cur);
    if (!e) return false;
    if (typeof e.code === 'string' && TRANSIENT_CODES.has(e.code)) return true;
    // AbortSignal.timeout(): the request took too long; a fresh attempt may not.
    if (e.name === 'TimeoutError') return true;
    if (typeof e.message === 'string' && TRANSIENT_MESSAGES.some((r) => r.test(e.message as string))) return true;
    cur = e.cause;
  }
  return false;
}

/** 408, 429, 5xx and dropped connections. Any other status (400, 401, 403, 404, 422...) is final. */
export function isTransientError(error: unknown): boolean {
  const status = statusOf(error);
  if (status !== undefined) return status === 408 || status === 429 || status >= 500;
  return isConnectionError(error);
}

/** Parses a Retry-After header: delay-seconds or an HTTP date. Returns ms, or undefined. */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value === null || value === undefined) return undefined;
  const v = value.trim();
  if (v === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/** The Retry-After of an error's response, in ms. */
export function retryAfterFromError(error: unknown): number | undefined {
  const e = asRecord(error);
  if (e && typeof e.retryAfterMs === 'number') return e.retryAfterMs;
  const h = headersOf(error);
  if (!h) return undefined;
  if (h instanceof Headers) return parseRetryAfter(h.get('retry-after'));
  const raw = h['retry-after'] ?? h['Retry-After'];
  return typeof raw === 'string' ? parseRetryAfter(raw) : undefined;
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** The wait before retry number `attempt` (1-based): equal jitter over the exponential step, or the
 *  server's Retry-After when it asks for longer; never above maxMs. */
export function backoffDelay(
  attempt: number,
  opts: { baseMs: number; maxMs: number; retryAfterMs?: number; random?: () => number },
): number {
  const step = Math.min(opts.maxMs, opts.baseMs * 2 ** (attempt - 1));
  const jittered = step / 2 + (opts.random ?? Math.random)() * (step / 2);
  const wanted = opts.retryAfterMs !== undefined ? Math.max(opts.retryAfterMs, jittered) : jittered;
  return Math.round(Math.min(opts.maxMs, wanted));
}

/** Calls fn until it succeeds, the error is not retryable, or the retries are used up; then
 *  rethrows the last error unchanged. */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const retries = options.retries ?? 4;
  const baseMs = options.baseMs ?? 250;
  const maxMs = options.maxMs ?? 30_000;
  const isRetryable = options.isRetryable ?? isTransientError;
  const retryAfter = options.retryAfterMs ?? retryAfterFromError;
  const sleep = options.sleep ?? ((ms: number) => defaultSleep(ms, options.signal));
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt >= retries || options.signal?.aborted || !isRetryable(error)) throw error;
      const delayMs = backoffDelay(attempt + 1, {
        baseMs,
        maxMs,
        retryAfterMs: retryAfter(error),
        random: options.random,
      });
      options.onRetry?.({ attempt: attempt + 1, delayMs, error });
      await sleep(delayMs);
      if (options.signal?.aborted) throw error;
    }
  }
}
