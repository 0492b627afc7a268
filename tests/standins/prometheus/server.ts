// Prometheus stand-in (a test double), two faces of one monitored fleet:
// - node_exporter: GET /metrics is the text exposition of the first host (the scrape mode of
//   infrahub-sync's prometheus adapter); /nodes/<host>/metrics is any host's.
// - the Prometheus server that scrapes them: GET or POST /api/v1/query (an instant query over
//   every host's samples, labelled instance="<host>:9100", job="node"), and
//   /api/v1/status/buildinfo. PromQL is the subset in promql.ts; errors are Prometheus's
//   `{status: "error", errorType, error}` with its status codes.
// No authentication by default, like both; `auth: 'basic' | 'bearer'` requires what a
// Prometheus web config (or the proxy in front of it) would, with `--token` as the password or
// bearer token. Sources: tests/standins/prometheus/README.md.
import type { IncomingMessage } from 'node:http';
import { renderPrometheus } from '../dataset/render-prometheus.js';
import { readBody, startRestServer, type Reply } from '../rest-common/http-server.js';
import { RawJson } from '../rest-common/render-cache.js';
import { loadSource, type SourceRow } from '../rest-common/source-dataset.js';
import type { SourceStandin, SourceStandinOptions } from '../rest-common/standin-types.js';
import { basicAuth } from '../rest-common/table-standin.js';
import { watchDataset } from '../rest-common/watched-dataset.js';
import { renderExposition, type Sample } from './exposition.js';
import { evaluate, parsePromql, PromqlError, type Series } from './promql.js';

export interface PrometheusStandinOptions extends SourceStandinOptions {
  auth?: 'none' | 'basic' | 'bearer';
}

const text = (status: number, body: string, headers: Record<string, string> = {}): Reply => ({
  status,
  body: new RawJson(body),
  headers: { 'Content-Type': 'text/plain; charset=utf-8', ...headers },
});

const apiError = (status: number, errorType: string, error: string): Reply => ({ status, body: { status: 'error', errorType, error } });

function sampleOf(row: SourceRow): Sample {
  return {
    family: String(row.family ?? row.metric),
    metric: String(row.metric),
    type: String(row.type),
    help: String(row.help ?? ''),
    labels: (row.labels ?? {}) as Record<string, string>,
    value: Number(row.value),
  };
}

/** Prometheus renders a sample value as Go's FormatFloat(v, 'f', -1, 64). */
function apiValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  return Math.abs(v) >= 1e21 ? BigInt(Math.round(v)).toString() : String(v);
}

export async function startPrometheusStandin(opts: PrometheusStandinOptions): Promise<SourceStandin> {
  const dataset = await loadSource(opts.dataset, 'prometheus', renderPrometheus);
  const token = opts.token ?? 'standin-token';
  const auth = opts.auth ?? 'none';

  const denied = (req: IncomingMessage): Reply | undefined => {
    if (auth === 'none') return undefined;
    if (auth === 'bearer' && req.headers.authorization === `Bearer ${token}`) return undefined;
    if (auth === 'basic' && basicAuth(req)?.password === token) return undefined;
    return text(401, 'Unauthorized\n', auth === 'basic' ? { 'WWW-Authenticate': 'Basic' } : {});
  };

  const rows = (): SourceRow[] => dataset.tables.samples ?? [];
  const instances = (): string[] => [...new Set(rows().map((r) => String(r.instance)))];
  const series = (): Series[] =>
    rows().map((r) => ({
      labels: { __name__: String(r.metric), ...((r.labels ?? {}) as Record<string, string>), instance: String(r.instance), job: 'node' },
      value: Number(r.value),
    }));

  const query = (q: string | null): Reply => {
    if (!q) return apiError(400, 'bad_data', 'invalid parameter "query": 1:1: parse error: no expression found in input');
    const now = Date.now() / 1000;
    try {
      const result = evaluate(parsePromql(q), series());
      if (result.type === 'scalar') return { status: 200, body: { status: 'success', data: { resultType: 'scalar', result: [now, apiValue(result.value)] } } };
      return {
        status: 200,
        body: {
          status: 'success',
          data: { resultType: 'vector', result: result.series.map((s) => ({ metric: s.labels, value: [now, apiValue(s.value)] })) },
        },
      };
    } catch (e) {
      if (e instanceof PromqlError) return apiError(400, 'bad_data', `invalid parameter "query": ${e.message}`);
      throw e;
    }
  };

  const server = await startRestServer(opts, async ({ req, url }) => {
    const refused = denied(req);
    if (refused) return refused;
    const path = url.pathname;
    if (path === '/metrics' || /^\/nodes\/[^/]+\/metrics$/.test(path)) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return text(405, 'Method Not Allowed\n');
      const host = path === '/metrics' ? instances()[0] : `${decodeURIComponent(path.split('/')[2] ?? '')}:9100`;
      if (!host || !instances().includes(host)) return text(404, '404 page not found\n');
      return text(200, renderExposition(rows().filter((r) => r.instance === host).map(sampleOf)), {
        'Content-Type': 'text/plain; version=0.0.4; charset=utf-8',
      });
    }
    if (path === '/api/v1/query') {
      if (req.method === 'GET') return query(url.searchParams.get('query'));
      if (req.method === 'POST') return query(new URLSearchParams(await readBody(req)).get('query') ?? url.searchParams.get('query'));
      return apiError(405, 'bad_data', 'method not allowed');
    }
    if (path === '/api/v1/status/buildinfo') {
      return { status: 200, body: { status: 'success', data: { version: '2.53.3', revision: 'standin', branch: 'HEAD', goVersion: 'go1.22.9' } } };
    }
    return text(404, '404 page not found\n');
  });
  return { ...server, dataset: watchDataset(dataset, () => undefined), invalidate: () => undefined };
}
