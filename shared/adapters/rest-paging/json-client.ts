// One JSON-over-HTTP client for the REST adapters (Nautobot, NetBox, generic REST, Peering
// Manager): reads, and the writes of REST destinations.
// It owns the connection pool, TLS leniency, timeouts, retries and the translation of every
// failure into an AdapterError whose message never carries a credential or a query string
// (REST `params` may hold API keys).
import { Agent, request } from 'undici';
import type { Dispatcher } from 'undici';
import { AdapterError } from '../../errors.js';
import type { Logger } from '../../log.js';
import { HttpStatusError, isConnectionError, isTransientError, statusOf, withRetry } from '../http/retry.js';

export interface JsonClientOptions {
  /** System name for errors and logs (`nautobot`, `netbox`, `genericrestapi`). */
  system: string;
  /** Headers sent with every request (auth, Accept). */
  headers: Record<string, string>;
  timeoutMs: number;
  /** false accepts self-signed and otherwise invalid certificates. */
  verifySsl: boolean;
  /** Values scrubbed from any message before it leaves this client. */
  secrets: string[];
  logger: Logger;
  /** Retries after the first attempt for 408/429/5xx and dropped connections. */
  retries?: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Upper bound of sockets per origin; the adapters pass their concurrency. */
  connections?: number;
}

/** Runs one request under a concurrency bound (a p-limit `LimitFunction` fits). */
export type Gate = <T>(fn: () => Promise<T>) => Promise<T>;

const ungated: Gate = (fn) => fn();

export interface JsonResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export class JsonClient {
  private readonly agent: Agent;
  private closed = false;

  constructor(private readonly opts: JsonClientOptions) {
    this.agent = new Agent({
      connections: opts.connections ?? null,
      keepAliveTimeout: 30_000,
      connect: opts.verifySsl ? undefined : { rejectUnauthorized: false },
    });
  }

  get system(): string {
    return this.opts.system;
  }

  /**
   * GET a JSON document; throws AdapterError once retries are spent or on a final status.
   * `gate` (a p-limit) bounds requests in flight: it is held while the request and its body are
   * on the wire and released before the body is parsed, so parsing a big page never keeps the
   * next request from going out. Retry back-offs wait outside it too.
   */
  async getJson(url: URL, gate: Gate = ungated): Promise<JsonResponse> {
    try {
      return await withRetry(() => this.once(url, gate), {
        retries: this.opts.retries,
        baseMs: this.opts.retryBaseMs,
        maxMs: this.opts.retryMaxMs,
        onRetry: ({ attempt, delayMs, error }) =>
          this.opts.logger.warn(`${this.opts.system}: retrying a request`, {
            host: url.host,
            path: url.pathname,
            attempt,
            delayMs,
            reason: this.describe(error),
          }),
      });
    } catch (error) {
      throw this.toAdapterError(error, url);
    }
  }

  /**
   * A write with a JSON body (none for DELETE). 429 and 503 are retried (the server did not act);
   * other 5xx answers and dropped connections only when `idempotent` (PUT, PATCH, DELETE): a POST
   * that failed that way may have been applied, and only the caller can check. A final failure
   * is an AdapterError with the status and the server's message (DRF field errors spelled out).
   */
  async sendJson(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: URL, body: unknown, gate: Gate = ungated): Promise<JsonResponse> {
    const idempotent = method !== 'POST';
    const payload = body === undefined ? undefined : JSON.stringify(body);
    try {
      return await withRetry(
        async () => {
          const r = await gate(() => this.exchange(url, method, payload));
          return { status: r.status, headers: r.headers, body: r.text === '' ? null : parseOrText(r.text) };
        },
        {
          retries: this.opts.retries,
          baseMs: this.opts.retryBaseMs,
          maxMs: this.opts.retryMaxMs,
          isRetryable: (e) => {
            const status = statusOf(e);
            if (status === 429 || status === 503) return true;
            return idempotent && isTransientError(e);
          },
          onRetry: ({ attempt, delayMs, error }) =>
            this.opts.logger.warn(`${this.opts.system}: retrying a ${method}`, {
              host: url.host, path: url.pathname, attempt, delayMs, reason: this.describe(error),
            }),
        },
      );
    } catch (error) {
      throw this.toAdapterError(error, url, method);
    }
  }

  /** Like getJson, but an HTTP status in `tolerated` is returned instead of thrown. */
  async getJsonTolerating(url: URL, tolerated: (status: number) => boolean): Promise<JsonResponse> {
    try {
      return await this.getJson(url);
    } catch (error) {
      if (error instanceof AdapterError && error.status !== undefined && tolerated(error.status)) {
        return { status: error.status, headers: {}, body: undefined };
      }
      throw error;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.agent.close();
  }

  private async once(url: URL, gate: Gate): Promise<JsonResponse> {
    const { status, headers, text } = await gate(() => this.exchange(url));
    try {
      return { status, headers, body: text === '' ? null : JSON.parse(text) };
    } catch {
      throw new AdapterError(
        this.opts.system,
        `${url.host}${url.pathname} answered HTTP ${status} with a body that is not JSON` +
          ` (content-type ${String(headers['content-type'] ?? 'none')})`,
        status,
      );
    }
  }

  /** One request and its whole body; a non-2xx status is thrown as HttpStatusError. A GET that
   *  is redirected on the same origin (Django's APPEND_SLASH) follows the redirect. */
  private async exchange(
    url: URL,
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' = 'GET',
    payload?: string,
    hops = 0,
  ): Promise<{ status: number; headers: JsonResponse['headers']; text: string }> {
    const res = await request(url, {
      method,
      headers: payload === undefined ? this.opts.headers : { ...this.opts.headers, 'content-type': 'application/json' },
      body: payload,
      dispatcher: this.agent as Dispatcher,
      headersTimeout: this.opts.timeoutMs,
      bodyTimeout: this.opts.timeoutMs,
    });
    const status = res.statusCode;
    if (status >= 200 && status < 300) return { status, headers: res.headers, text: await res.body.text() };
    const location = res.headers.location;
    if (method === 'GET' && [301, 302, 303, 307, 308].includes(status) && typeof location === 'string' && hops < 5) {
      await res.body.dump();
      const next = new URL(location, url);
      // Credentials go only where they were meant to go.
      if (next.origin === url.origin) return this.exchange(next, method, payload, hops + 1);
    }
    // Read a little of the error body for the message, then let the socket go back to the pool.
    const excerpt = await readExcerpt(res.body);
    const headers = new Headers();
    for (const [k, v] of Object.entries(res.headers)) {
      if (typeof v === 'string') headers.set(k, v);
      else if (Array.isArray(v)) for (const item of v) headers.append(k, item);
    }
    throw new HttpStatusError(status, excerpt, headers);
  }

  private toAdapterError(error: unknown, url: URL, method = 'GET'): AdapterError {
    if (error instanceof AdapterError) return error;
    const where = `${url.host}${url.pathname}`;
    const status = statusOf(error);
    if (status === 401 || status === 403) {
      // The server's reason tells a wrong token from one that may not write ("You do not have permission").
      const said = error instanceof Error && error.message ? `: ${this.scrub(error.message)}` : '';
      return new AdapterError(
        this.opts.system,
        `authentication failed at ${url.host} (HTTP ${status}${said}); check the token or credentials configured for ${this.opts.system}`,
        status,
      );
    }
    if (status !== undefined) {
      const detail = error instanceof Error && error.message ? `: ${this.scrub(error.message)}` : '';
      return new AdapterError(this.opts.system, `${method} ${where} failed with HTTP ${status}${detail}`, status);
    }
    if (isConnectionError(error) || isTimeout(error)) {
      return new AdapterError(
        this.opts.system,
        `cannot reach ${url.host} (${this.describe(error)}); check the url and that the service is up`,
        undefined,
        { cause: error },
      );
    }
    return new AdapterError(this.opts.system, `${method} ${where} failed: ${this.describe(error)}`, undefined, {
      cause: error,
    });
  }

  private describe(error: unknown): string {
    const status = statusOf(error);
    if (status !== undefined) return `HTTP ${status}`;
    let cur: unknown = error;
    for (let i = 0; i < 4 && cur; i++) {
      const e = cur as { code?: unknown; message?: unknown; cause?: unknown };
      if (typeof e.code === 'string') return e.code;
      cur = e.cause;
    }
    return this.scrub(error instanceof Error ? error.message : String(error));
  }

  private scrub(text: string): string {
    let out = text;
    // Very short values would mangle every message; real tokens and keys are far longer.
    for (const s of this.opts.secrets) if (s.length >= MIN_SCRUBBED_LENGTH) out = out.split(s).join('***');
    return out.length > 300 ? `${out.slice(0, 300)}...` : out;
  }
}

const MIN_SCRUBBED_LENGTH = 6;

function isTimeout(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /TIMEOUT/.test(code);
}

async function readExcerpt(body: Dispatcher.ResponseData['body']): Promise<string> {
  try {
    const text = await body.text();
    return (describeErrorBody(text) ?? text).replace(/\s+/g, ' ').trim().slice(0, 500);
  } catch {
    return '';
  }
}

/** DRF's error bodies spelled out: `{"slug": ["This field is required."]}` -> `slug: This field is required.`. */
function describeErrorBody(text: string): string | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const parts = Object.entries(body as Record<string, unknown>).map(([k, v]) => {
    const msg = Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(' ') : typeof v === 'string' ? v : JSON.stringify(v);
    return k === 'detail' || k === 'non_field_errors' ? msg : `${k}: ${msg}`;
  });
  return parts.join('; ');
}

function parseOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The shared settings of the REST sources, as `commonRestSettings` parses them. */
export interface RestClientSettings {
  timeout: number;
  verify_ssl: boolean;
  retries: number;
  retry_base_ms: number;
  concurrency: number;
}

/** A client configured from a REST source's settings; `headers` add to (or replace) the defaults. */
export function restClient(
  system: string,
  s: RestClientSettings,
  opts: { headers: Record<string, string>; secrets: string[]; logger: Logger },
): JsonClient {
  return new JsonClient({
    system,
    headers: { accept: 'application/json', 'user-agent': 'infrahub-sync-ts', ...opts.headers },
    timeoutMs: s.timeout * 1000,
    verifySsl: s.verify_ssl,
    secrets: opts.secrets,
    logger: opts.logger,
    retries: s.retries,
    retryBaseMs: s.retry_base_ms,
    connections: s.concurrency,
  });
}
