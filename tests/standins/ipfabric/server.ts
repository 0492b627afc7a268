// IP Fabric stand-in (a test double): the REST API the ipfabric SDK drives, as IP Fabric 7.2
// answers it.
// - GET /api/version (no token): `{apiVersion, releaseVersion}`.
// - Everything else under /api/v7.2/ (and /api/, as 7.5+ serves it) needs `X-API-Token`; a
//   missing or wrong one is 401 `{code: "API_UNAUTHORIZED", message}`. GET users/me.
// - POST /tables/<path>: `{columns, snapshot, filters, pagination: {start, limit}, sort}` ->
//   `{data, _meta: {limit, start, count, size}}`. Every column must be one the table has (422
//   API_INVALID_INPUT otherwise, as IP Fabric refuses it); `snapshot` is an id, `$last`, `$prev` or
//   `$lastLocked`; an unknown or unloaded snapshot is 422. Filters: and/or, eq, neq, like,
//   notlike, reg, nreg, empty, gt, lt.
// - Snapshots: the dataset is the latest loaded snapshot; the previous one lacks the last
//   device (its rows); a third, older one is unloaded.
// Sources: tests/standins/ipfabric/README.md.
import { TABLE_COLUMNS } from '../../../shared/adapters/ipfabric/table-columns.js';
import { renderIpfabric, tableKey } from '../dataset/render-ipfabric.js';
import { readBody, startRestServer, type Reply } from '../rest-common/http-server.js';
import { loadSource, type Json, type SourceRow } from '../rest-common/source-dataset.js';
import type { SourceStandin, SourceStandinOptions } from '../rest-common/standin-types.js';
import { watchDataset } from '../rest-common/watched-dataset.js';

export interface IpfabricStandinOptions extends SourceStandinOptions {
  /** The API version the server reports (default v7.2; v7.5 and later serve tables under /api/). */
  apiVersion?: string;
}

export const SNAPSHOTS = {
  last: '5a3c1f1e-0b7d-4c52-9a53-3e0e2b6d9a01',
  prev: '1b2e4c6d-8f90-4a1b-b2c3-d4e5f6a7b802',
  unloaded: '0c9d8e7f-6a5b-4c3d-8e2f-1a0b9c8d7e03',
};

const ipfError = (status: number, code: string, message: string): Reply => ({ status, body: { code, message } });

type Filter = (row: Record<string, Json>) => boolean;

function compileFilter(f: unknown): Filter {
  if (!f || typeof f !== 'object') return () => true;
  const entries = Object.entries(f as Record<string, unknown>);
  const parts: Filter[] = entries.map(([k, v]): Filter => {
    if (k === 'and' || k === 'or') {
      const subs = (Array.isArray(v) ? v : []).map(compileFilter);
      return k === 'and' ? (r) => subs.every((s) => s(r)) : (r) => subs.some((s) => s(r));
    }
    const [op, want] = Array.isArray(v) ? (v as [string, unknown]) : ['eq', v];
    return (r) => {
      const have = r[k];
      const text = have === null || have === undefined ? '' : String(have);
      switch (op) {
        case 'eq': return text === String(want);
        case 'neq': return text !== String(want);
        case 'like': return text.toLowerCase().includes(String(want).toLowerCase());
        case 'notlike': return !text.toLowerCase().includes(String(want).toLowerCase());
        case 'reg': return new RegExp(String(want)).test(text);
        case 'nreg': return !new RegExp(String(want)).test(text);
        case 'empty': return (have === null || have === undefined || have === '' || (Array.isArray(have) && have.length === 0)) === Boolean(want);
        case 'gt': return Number(have) > Number(want);
        case 'lt': return Number(have) < Number(want);
        default: throw new Error(`unknown filter operator ${op}`);
      }
    };
  });
  return (r) => parts.every((p) => p(r));
}

export async function startIpfabricStandin(opts: IpfabricStandinOptions): Promise<SourceStandin> {
  const dataset = await loadSource(opts.dataset, 'ipfabric', renderIpfabric);
  const token = opts.token ?? 'standin-token';
  const apiVersion = opts.apiVersion ?? 'v7.2';
  const epoch = Date.parse('2025-01-15T09:00:00Z');
  const snapshotRows = (): SourceRow[] => [
    { id: SNAPSHOTS.last, name: 'Nightly', status: 'done', finishStatus: 'done', loading: false, locked: false, tsEnd: epoch, tsStart: epoch - 600_000, note: null, sites: [], totalDevCount: (dataset.tables['inventory.devices'] ?? []).length },
    { id: SNAPSHOTS.prev, name: 'Baseline', status: 'done', finishStatus: 'done', loading: false, locked: true, tsEnd: epoch - 86_400_000, tsStart: epoch - 87_000_000, note: null, sites: [], totalDevCount: (dataset.tables['inventory.devices'] ?? []).length - 1 },
    { id: SNAPSHOTS.unloaded, name: 'Archive', status: 'unloaded', finishStatus: 'done', loading: false, locked: false, tsEnd: epoch - 2 * 86_400_000, tsStart: epoch - 2 * 86_400_000 - 600_000, note: null, sites: [], totalDevCount: 0 },
  ];
  const resolve = (ref: unknown): string | undefined => {
    const loaded = snapshotRows().filter((s) => s.status === 'done');
    if (ref === '$last') return loaded[0]?.id as string;
    if (ref === '$prev') return loaded[1]?.id as string;
    if (ref === '$lastLocked') return loaded.find((s) => s.locked)?.id as string;
    return loaded.find((s) => s.id === ref)?.id as string | undefined;
  };
  const rowsOf = (table: string, snapshot: string): SourceRow[] => {
    if (table === 'management/snapshots') return snapshotRows();
    const rows = dataset.tables[tableKey(table)] ?? [];
    if (snapshot !== SNAPSHOTS.prev) return rows;
    // The previous snapshot did not have the last device yet.
    const devices = dataset.tables['inventory.devices'] ?? [];
    const newest = devices[devices.length - 1]?.hostname;
    return rows.filter((r) => r.hostname === undefined || r.hostname !== newest);
  };

  const server = await startRestServer(opts, async ({ req, url }) => {
    if (url.pathname === '/api/version') return { status: 200, body: { apiVersion, releaseVersion: `${apiVersion.slice(1)}.14` } };
    const m = /^\/api\/(?:v\d+(?:\.\d+)?\/)?(.*)$/.exec(url.pathname);
    if (!m) return ipfError(404, 'API_NOT_FOUND', `Cannot ${req.method ?? ''} ${url.pathname}`);
    if (req.headers['x-api-token'] !== token) return ipfError(401, 'API_UNAUTHORIZED', 'Unauthorized');
    const path = m[1] ?? '';
    if (path === 'users/me' && req.method === 'GET') return { status: 200, body: { id: '1', username: 'admin', isAdmin: true, token: { description: 'infrahub-sync' } } };
    if (!path.startsWith('tables/') || req.method !== 'POST') return ipfError(404, 'API_NOT_FOUND', `Cannot ${req.method ?? ''} /${path}`);
    const table = path.slice('tables/'.length).replace(/\/+$/, '');
    const known = TABLE_COLUMNS[`tables/${table}`];
    if (!known) return ipfError(404, 'API_NOT_FOUND', `Cannot POST /${path}`);
    let body: { columns?: unknown; snapshot?: unknown; filters?: unknown; pagination?: { start?: number; limit?: number } };
    try {
      body = JSON.parse(await readBody(req)) as typeof body;
    } catch {
      return ipfError(400, 'API_INVALID_JSON', 'Request body is not valid JSON');
    }
    const columns = body.columns;
    if (!Array.isArray(columns) || columns.length === 0) return ipfError(422, 'API_INVALID_INPUT', '"columns" is required');
    const bad = columns.filter((c) => !known.includes(String(c)));
    if (bad.length) return ipfError(422, 'API_INVALID_INPUT', `"columns[${columns.indexOf(bad[0])}]" must be one of [${known.join(', ')}]`);
    let snapshot = '';
    if (table !== 'management/snapshots') {
      const found = resolve(body.snapshot);
      if (!found) return ipfError(422, 'API_INVALID_INPUT', `Snapshot ${JSON.stringify(body.snapshot)} is not loaded or does not exist`);
      snapshot = found;
    }
    let rows: SourceRow[];
    try {
      rows = rowsOf(table, snapshot).filter(compileFilter(body.filters));
    } catch (e) {
      return ipfError(422, 'API_INVALID_INPUT', e instanceof Error ? e.message : String(e));
    }
    const start = Number(body.pagination?.start ?? 0);
    const limit = Number(body.pagination?.limit ?? rows.length);
    const page = rows.slice(start, start + limit).map((r) => Object.fromEntries(columns.map((c) => [String(c), (r as Record<string, Json>)[String(c)] ?? null])));
    return { status: 200, body: { data: page, _meta: { limit, start, count: rows.length, size: page.length } } };
  });
  return { ...server, dataset: watchDataset(dataset, () => undefined), invalidate: () => undefined };
}
