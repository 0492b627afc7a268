// The prometheus adapter against the Prometheus stand-in, in both modes: scrape (text exposition,
// parsed by parse-prometheus-text-format) and API (PromQL instant queries).
import { afterEach, describe, expect, it } from 'vitest';
import { lookupTargets, parseExposition, PrometheusAdapter } from '../../../shared/adapters/prometheus/index.js';
import type { LoadRequest } from '../../../shared/adapters/types.js';
import { generateDataset } from '../../standins/dataset/index.js';
import { startPrometheusStandin } from '../../standins/prometheus/server.js';
import type { SourceStandin } from '../../standins/rest-common/standin-types.js';
import { allLogText, testContext } from './helpers/context.js';

const TOKEN = 'prom-token-0123456789';
let prom: SourceStandin | undefined;
afterEach(async () => {
  await prom?.stop();
  prom = undefined;
});
const req = (path: string, expressions?: string[]): LoadRequest => ({ side: 'source', model: 'M', path, fields: [], ...(expressions ? { expressions } : {}) });
const make = (settings: Record<string, unknown>, env: Record<string, string> = {}) => {
  const ctx = testContext(env);
  return { a: new PrometheusAdapter({ name: 'prometheus', settings }, ctx), ctx };
};

describe('prometheus adapter, API mode', () => {
  it('runs each resource\'s instant query once: selectors and aggregations, series as records', async () => {
    prom = await startPrometheusStandin({ dataset: generateDataset({ size: 'tiny', seed: 1 }) });
    const { a } = make({ mode: 'api', url: prom.url, promql: { resources: {
      node_info: 'node_uname_info',
      node_cpu: 'count(node_cpu_seconds_total{mode="idle"}) by (instance)',
      eth_mtu: 'node_network_mtu_bytes{device=~"Gig.*|eth.*", device!="lo"}',
    } } });
    const info = await a.load(req('node_info'));
    const hosts = [...new Set((prom.dataset.tables.samples ?? []).map((r) => r.instance))];
    expect(info.map((r) => (r.labels as Record<string, string>).instance).sort()).toEqual([...hosts].sort());
    expect(info[0]).toMatchObject({ __metric__: 'node_uname_info', value: 1, type: 'vector', labels: { job: 'node', sysname: 'Linux' } });
    expect(info[0]?.id).toMatch(/^node_uname_info\|domainname=\(none\),instance=/);
    const cpu = await a.load(req('node_cpu'));
    expect(cpu.map((r) => [r.__metric__, r.value])).toEqual(hosts.map(() => ['node_cpu', 2]));
    const mtus = await a.load(req('eth_mtu'));
    expect(mtus.length).toBeGreaterThan(0);
    expect(mtus.every((r) => (r.labels as Record<string, string>).device !== 'lo')).toBe(true);
    await a.load(req('node_info'));
    expect(prom.counters.byPath['/api/v1/query']).toBe(3);
    // lookup() in API mode reads other resources.
    expect(await a.templateData('M', [req('node_info', ["{{ lookup('node_cpu', 'labels.instance', 'value') }}"])])).toMatchObject({ samples: { node_cpu: cpu.map(({ id: _id, ...s }) => s) } });
    await expect(a.load(req('nope'))).rejects.toThrow(/mapping "nope" is not one of settings.promql.resources \(node_info, node_cpu, eth_mtu\)/);
    await a.close();
  });

  it('reports PromQL errors with Prometheus\'s own message', async () => {
    prom = await startPrometheusStandin({ dataset: generateDataset({ size: 'tiny', seed: 1 }) });
    const { a } = make({ mode: 'api', url: prom.url, promql: { resources: { bad: 'rate(node_cpu_seconds_total[5m])' } } });
    await expect(a.load(req('bad'))).rejects.toThrow(/prometheus: GET .*\/api\/v1\/query failed with HTTP 400: .*bad_data/);
    await a.close();
  });
});

describe('prometheus adapter, scrape mode', () => {
  it('scrapes once, with bearer or basic auth from PROM_* variables, and never logs them', async () => {
    prom = await startPrometheusStandin({ dataset: generateDataset({ size: 'tiny', seed: 1 }), auth: 'bearer', token: TOKEN });
    const { a, ctx } = make({ url: 'http://127.0.0.1:9', auth_method: 'bearer' }, { PROM_URL: prom.url, PROM_TOKEN: TOKEN });
    const mtu = await a.load(req('node_network_mtu_bytes'));
    const uname = await a.load(req('node_uname_info'));
    expect(mtu.length).toBeGreaterThan(1);
    expect(uname).toHaveLength(1);
    expect(prom.counters.byPath['/metrics']).toBe(1);
    expect(await a.load(req('node_nothing'))).toEqual([]);
    expect(allLogText(ctx.logger)).toMatch(/has no metric node_nothing/);
    expect(allLogText(ctx.logger)).not.toContain(TOKEN);
    await a.close();
    const wrong = make({ url: prom.url, auth_method: 'basic', username: 'u', password: 'wrong-password-42' }).a;
    await expect(wrong.load(req('node_uname_info'))).rejects.toThrow(/authentication failed at 127\.0\.0\.1:\d+ \(HTTP 401[:)]/);
    await wrong.close();
  });

  it('parses histograms and summaries into their samples, and non-finite values as null', () => {
    const text = [
      '# HELP h A histogram.', '# TYPE h histogram', 'h_bucket{le="0.5",path="/"} 3', 'h_bucket{le="+Inf",path="/"} 4', 'h_sum{path="/"} 1.5', 'h_count{path="/"} 4',
      '# TYPE s summary', 's{quantile="0.9"} 0.01', 's_sum 2', 's_count 7', '# TYPE g gauge', 'g{a="x"} NaN', 'g{a="y"} +Inf 1700000000000',
    ].join('\n');
    const out = parseExposition(`${text}\n`);
    expect(out.h_bucket?.map((s) => [s.labels.le, s.value])).toEqual([['0.5', 3], ['+Inf', 4]]);
    expect(out.h_sum?.[0]).toMatchObject({ labels: { path: '/' }, value: 1.5, type: 'histogram', help: 'A histogram.' });
    expect(out.s?.[0]).toMatchObject({ labels: { quantile: '0.9' }, value: 0.01 });
    expect(out.s_count?.[0]?.value).toBe(7);
    expect(out.g?.map((s) => [s.value, s.timestamp])).toEqual([[null, null], [null, 1700000000]]);
    expect(lookupTargets(["{{ lookup('a', {}, 'value') }} {{ lookup(\"b\", x, 'v') }}"])).toEqual(new Set(['a', 'b']));
    expect(lookupTargets(['{{ lookup(name, {}, "value") }}'])).toBe('all');
  });
});
