// Transport to one Infrahub server: GraphQL at /graphql[/<branch>] and REST under /api, with the
// API token in X-INFRAHUB-KEY, a per-request timeout and retries of transient failures.
// GraphQL errors of an executed document are returned, not thrown: a batch of aliased mutations
// fails per alias, and the caller decides what each error means.
import { ClientError, GraphQLClient } from 'graphql-request';
import { Agent, fetch as undiciFetch } from 'undici';
import { AdapterError } from '../../errors.js';
import type { Logger } from '../../log.js';
import { HttpStatusError, isTransientError, withRetry } from '../http/retry.js';

export const SYSTEM = 'infrahub';
export const AUTH_FAILED = 'authentication failed (check INFRAHUB_API_TOKEN)';

export interface GqlError {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string | number; http_status?: number; data?: unknown };
}

export interface GqlResult<T> {
  data: T | null;
  errors: GqlError[];
}

export interface InfrahubClientOptions {
  url: string;
  token?: string;
  timeoutMs: number;
  retries: number;
  verifySsl: boolean;
  logger: Logger;
  /** Backoff base in ms; tests lower it. */
  retryBaseMs?: number;
}

type FetchFn = typeof fetch;

function lenientFetch(): FetchFn {
  const dispatcher = new Agent({ connect: { rejectUnauthorized: false } });
  return ((input: Parameters<FetchFn>[0], init?: Parameters<FetchFn>[1]) =>
    undiciFetch(input as Parameters<typeof undiciFetch>[0], {
      ...(init as Parameters<typeof undiciFetch>[1]),
      dispatcher,
    })) as unknown as FetchFn;
}

/** The first error message of a GraphQL-shaped body; Infrahub sometimes sends bare strings. */
function bodyMessage(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const errors = (body as { errors?: unknown }).errors;
  if (!Array.isArray(errors) || errors.length === 0) return undefined;
  const first: unknown = errors[0];
  if (typeof first === 'string') return first;
  if (typeof first === 'object' && first !== null && typeof (first as GqlError).message === 'string') {
    return (first as GqlError).message;
  }
  return undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Auth failures arrive as HTTP 401, or as a GraphQL error with code 401 / AUTHENTICATION_REQUIRED / TOKEN_EXPIRED. */
export function isAuthError(e: GqlError): boolean {
  const code = e.extensions?.code;
  return (
    e.extensions?.http_status === 401 ||
    code === 401 ||
    code === 'AUTHENTICATION_REQUIRED' ||
    code === 'TOKEN_EXPIRED'
  );
}

export class InfrahubClient {
  /** HTTP requests sent, retries included. */
  requests = 0;
  private readonly clients = new Map<string, GraphQLClient>();
  private readonly fetchFn: FetchFn;
  private readonly headers: Record<string, string>;

  constructor(private readonly opts: InfrahubClientOptions) {
    this.fetchFn = opts.verifySsl ? fetch : lenientFetch();
    this.headers = opts.token ? { 'X-INFRAHUB-KEY': opts.token } : {};
  }

  get url(): string {
    return this.opts.url;
  }

  private client(branch: string | undefined): GraphQLClient {
    const endpoint = branch ? `${this.opts.url}/graphql/${encodeURIComponent(branch)}` : `${this.opts.url}/graphql`;
    let c = this.clients.get(endpoint);
    if (!c) {
      // excludeOperationName: skips graphql-request's client-side parse of every document, which is
      // pure overhead for documents this adapter generated itself.
      c = new GraphQLClient(endpoint, {
        headers: this.headers,
        fetch: this.fetchFn,
        errorPolicy: 'all',
        excludeOperationName: true,
      });
      this.clients.set(endpoint, c);
    }
    return c;
  }

  private retry<T>(what: string, fn: () => Promise<T>, isRetryable: (e: unknown) => boolean = isTransientError): Promise<T> {
    return withRetry(
      () => {
        this.requests++;
        return fn();
      },
      {
        retries: this.opts.retries,
        baseMs: this.opts.retryBaseMs ?? 250,
        isRetryable,
        onRetry: ({ attempt, delayMs, error }) =>
          this.opts.logger.debug(`infrahub: retrying ${what}`, {
            attempt,
            delayMs,
            reason: error instanceof Error ? error.message.slice(0, 200) : String(error),
          }),
      },
    );
  }

  /** Runs a GraphQL document; transport failures throw AdapterError, GraphQL errors are returned.
   *  `retryable` narrows which transport failures are retried here (a document that must not be
   *  resent blindly retries only failures that prove the server did not run it). `operations`:
   *  how many mutations the document carries; each gets the whole timeout, as infrahub-sync sends
   *  one mutation per request with that timeout. Giving up on a request the server is still
   *  writing leaves its writes to land after the lookups that decide what to send again. */
  async execute<T>(
    query: string,
    variables: Record<string, unknown>,
    branch: string | undefined,
    opts: { retryable?: (e: unknown) => boolean; operations?: number } = {},
  ): Promise<GqlResult<T>> {
    const timeoutMs = this.opts.timeoutMs * Math.max(1, opts.operations ?? 1);
    let res;
    try {
      res = await this.retry(
        'graphql request',
        () =>
          this.client(branch).rawRequest<T>({
            query,
            variables,
            signal: AbortSignal.timeout(timeoutMs),
          }),
        opts.retryable,
      );
    } catch (err) {
      throw this.transportError(err, branch);
    }
    const errors = (res.errors ?? []) as unknown as GqlError[];
    if (errors.some(isAuthError)) throw new AdapterError(SYSTEM, AUTH_FAILED, 401);
    return { data: (res.data ?? null) as T | null, errors };
  }

  /** Runs a query that must fully succeed. */
  async query<T>(query: string, variables: Record<string, unknown>, branch: string | undefined): Promise<T> {
    const res = await this.execute<T>(query, variables, branch);
    if (res.errors.length > 0 || res.data === null) {
      throw new AdapterError(SYSTEM, `query failed: ${res.errors.map((e) => e.message).join('; ') || 'no data'}`);
    }
    return res.data;
  }

  /** GET a JSON document under the server's REST API. */
  async getJson<T>(path: string): Promise<T> {
    try {
      return await this.retry(`GET ${path.split('?')[0]}`, async () => {
        const res = await this.fetchFn(`${this.opts.url}${path}`, {
          headers: { ...this.headers, accept: 'application/json' },
          signal: AbortSignal.timeout(this.opts.timeoutMs),
        });
        const text = await res.text();
        if (!res.ok) {
          const msg = bodyMessage(parseJson(text)) ?? (text.slice(0, 200) || res.statusText);
          throw new HttpStatusError(res.status, msg, res.headers);
        }
        return JSON.parse(text) as T;
      });
    } catch (err) {
      throw this.transportError(err, undefined);
    }
  }

  private transportError(err: unknown, branch: string | undefined): AdapterError {
    if (err instanceof AdapterError) return err;
    let status: number | undefined;
    let message: string;
    if (err instanceof ClientError) {
      status = err.response.status;
      message = bodyMessage(err.response) ?? bodyMessage(parseJson(String(err.response.body ?? ''))) ?? `HTTP ${status}`;
    } else if (err instanceof HttpStatusError) {
      status = err.status;
      message = err.message;
    } else {
      const e = err as Error;
      const cause = (e?.cause as Error | undefined)?.message;
      message = `cannot reach ${this.opts.url}: ${e?.message ?? String(err)}${cause ? ` (${cause})` : ''}`;
    }
    if (status === 401) return new AdapterError(SYSTEM, AUTH_FAILED, 401, { cause: err });
    if (status === 403) return new AdapterError(SYSTEM, `permission denied: ${message}`, 403, { cause: err });
    if (status === 404 && branch && /branch/i.test(message)) {
      return new AdapterError(SYSTEM, `branch "${branch}" not found`, 404, { cause: err });
    }
    return new AdapterError(SYSTEM, status ? `HTTP ${status}: ${message}` : message, status, { cause: err });
  }
}
