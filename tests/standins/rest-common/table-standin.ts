// The shell of the read-only REST stand-ins whose APIs are a few list endpoints over tables
// (Device42, LibreNMS, Observium, PeeringDB): dataset loading, the watched dataset view, and
// credentials. Each system brings its own authentication, routes, envelopes and paging.
import type { IncomingMessage } from 'node:http';
import type { Dataset } from '../dataset/types.js';
import { startRestServer, type Reply } from './http-server.js';
import { loadSource, type Json, type SourceDataset, type SourceRow, type SourceSystem } from './source-dataset.js';
import type { SourceStandin, SourceStandinOptions } from './standin-types.js';
import { watchDataset } from './watched-dataset.js';

export interface Credentials {
  token: string;
  username: string;
  password: string;
}

export interface TableStandinSpec {
  system: SourceSystem;
  render(ds: Dataset): SourceDataset;
  /** undefined when the request may proceed; the refusal otherwise. */
  authenticate(req: IncomingMessage, creds: Credentials): Reply | undefined;
  route(url: URL, tables: Record<string, SourceRow[]>, req: IncomingMessage): Reply;
  headers?: Record<string, string>;
}

/**
 * `--token` is the credential of every stand-in. For the systems that take HTTP basic
 * authentication (Device42, Observium) it is `user:password`, or a password for user `admin`.
 */
export function credentialsOf(token: string | undefined): Credentials {
  const t = token ?? 'standin-token';
  const colon = t.indexOf(':');
  return colon > 0
    ? { token: t, username: t.slice(0, colon), password: t.slice(colon + 1) }
    : { token: t, username: 'admin', password: t };
}

/** The `user:password` of a Basic Authorization header, or undefined. */
export function basicAuth(req: IncomingMessage): { username: string; password: string } | undefined {
  const m = /^Basic\s+(\S+)$/i.exec(req.headers.authorization?.trim() ?? '');
  if (!m) return undefined;
  const text = Buffer.from(m[1] ?? '', 'base64').toString('utf8');
  const colon = text.indexOf(':');
  return colon < 0 ? undefined : { username: text.slice(0, colon), password: text.slice(colon + 1) };
}

/** A row as served: without the stand-in's own `id` when the API has none. */
export function served(row: SourceRow, hideId: boolean): Record<string, Json> {
  if (!hideId) return row;
  const { id: _id, ...rest } = row;
  return rest;
}

/** Rows whose fields equal the query's (repeated keys OR, different keys AND); `skip` keys are not filters. */
export function filterRows(rows: SourceRow[], query: URLSearchParams, skip: ReadonlySet<string>): SourceRow[] {
  const groups = new Map<string, string[]>();
  for (const [k, v] of query) if (!skip.has(k)) groups.set(k, [...(groups.get(k) ?? []), v]);
  if (groups.size === 0) return rows;
  return rows.filter((r) =>
    [...groups].every(([k, values]) => {
      const inList = k.endsWith('__in');
      const field = inList ? k.slice(0, -4) : k;
      if (!(field in r)) return true; // unknown filters are ignored
      const wanted = inList ? values.flatMap((v) => v.split(',')) : values;
      return wanted.includes(String(r[field]));
    }),
  );
}

export async function startTableStandin(spec: TableStandinSpec, opts: SourceStandinOptions): Promise<SourceStandin> {
  const dataset = await loadSource(opts.dataset, spec.system, spec.render);
  const creds = credentialsOf(opts.token);
  const server = await startRestServer(opts, ({ req, url }) => {
    const denied = spec.authenticate(req, creds);
    if (denied) return denied;
    if (req.method !== 'GET' && req.method !== 'HEAD') return { status: 405, body: { detail: `Method "${req.method ?? ''}" not allowed.` } };
    return spec.route(url, dataset.tables, req);
  }, spec.headers);
  return { ...server, dataset: watchDataset(dataset, () => undefined), invalidate: () => undefined };
}
