// The `lookup()` function that infrahub-sync's prometheus adapter puts into every record's
// template context, so a transform can read another metric of the same scrape (or PromQL
// resource): lookup(metric, key, value_path[, default]).
//
// - key None, "", "*" or {}: the first sample of `metric` that has `value_path`.
// - key a dotted path ("labels.device"): the sample of `metric` whose value at that path equals
//   the current record's value at the same path.
// - key a dict ({'device': labels.device}): the first sample of `metric` whose labels hold every
//   pair. Upstream compares str(dict) with a `dialer_name` label, so such a lookup never finds
//   anything there and always gives the default; infrahub-sync's own node_exporter example
//   uses this form throughout (MAC, speed, duplex, carrier, readonly, rotational), which is
//   why it is implemented here as it reads.
// - any other key: matched against the `dialer_name` label, as upstream does.
// Numbers come back as Python floats (prometheus_client parses every value as float).
import { mkFloat } from '../python.js';

export interface PromSample {
  __metric__: string;
  labels: Record<string, string>;
  value: number | null;
  timestamp: number | null;
  help: string;
  type: string;
}

/** What the prometheus adapter stores with a model's snapshot: samples by metric (or resource). */
export interface PrometheusTemplateData {
  samples: Record<string, PromSample[]>;
}

function dotted(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur) || !Object.hasOwn(cur, part)) return null;
    cur = (cur as Record<string, unknown>)[part];
    if (cur === null || cur === undefined) return null;
  }
  return cur;
}

function pyValue(v: unknown): unknown {
  return typeof v === 'number' ? mkFloat(v) : v;
}

const isEmptyKey = (k: unknown): boolean =>
  k === null || k === undefined || k === '' || k === '*' || (typeof k === 'object' && !Array.isArray(k) && Object.keys(k as object).length === 0);

function samplesOf(data: unknown): Record<string, PromSample[]> {
  const s = (data as Partial<PrometheusTemplateData> | undefined)?.samples;
  return s && typeof s === 'object' ? s : {};
}

/** Builds lookup() for one record: `current` is the record the template renders. */
export function prometheusLookup(data: unknown): (current: Record<string, unknown>) => (...args: unknown[]) => unknown {
  const samples = samplesOf(data);
  const of = (metric: string): PromSample[] => (Object.hasOwn(samples, metric) ? (samples[metric] ?? []) : []);
  // Per (metric, key): value -> first sample. Built on first use, so a lookup is one map read.
  const indexes = new Map<string, Map<string, PromSample>>();
  const index = (metric: string, id: string, keyOf: (s: PromSample) => string | undefined): Map<string, PromSample> => {
    const k = `${metric}\u0000${id}`;
    let idx = indexes.get(k);
    if (!idx) {
      idx = new Map();
      for (const s of of(metric)) {
        const v = keyOf(s);
        if (v !== undefined && !idx.has(v)) idx.set(v, s);
      }
      indexes.set(k, idx);
    }
    return idx;
  };
  const str = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

  return (current) =>
    (...args: unknown[]): unknown => {
      const [metricArg, key, valuePathArg, dflt = null] = args;
      const metric = String(metricArg);
      const valuePath = String(valuePathArg);
      const pick = (s: PromSample | undefined): unknown => {
        if (!s) return dflt;
        const v = dotted(s, valuePath);
        return v === null ? dflt : pyValue(v);
      };
      if (isEmptyKey(key)) {
        for (const s of of(metric)) {
          const v = dotted(s, valuePath);
          if (v !== null) return pyValue(v);
        }
        return dflt;
      }
      if (typeof key === 'string' && key.includes('.')) {
        const left = dotted(current, key);
        if (left === null) return dflt;
        const idx = index(metric, `path:${key}`, (s) => {
          const v = dotted(s, key);
          return v === null ? undefined : str(v);
        });
        return pick(idx.get(str(left)));
      }
      if (key !== null && typeof key === 'object' && !Array.isArray(key)) {
        const pairs = Object.entries(key as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        const names = pairs.map(([n]) => n);
        const idx = index(metric, `labels:${JSON.stringify(names)}`, (s) => {
          const vals: string[] = [];
          for (const n of names) {
            if (!Object.hasOwn(s.labels, n)) return undefined;
            vals.push(s.labels[n] as string);
          }
          return JSON.stringify(vals);
        });
        return pick(idx.get(JSON.stringify(pairs.map(([, v]) => (v === null || v === undefined ? '' : String(v))))));
      }
      const idx = index(metric, 'label:dialer_name', (s) => (Object.hasOwn(s.labels, 'dialer_name') ? s.labels.dialer_name : undefined));
      return pick(idx.get(String(key)));
    };
}
