// Prometheus text exposition format -> samples by metric name, in the shape infrahub-sync's
// prometheus adapter gives them (after prometheus_client's parser): one record per sample line,
// `{__metric__, labels, value, timestamp, help, type}`, keyed by the sample's own name, so a
// histogram is found under `<name>_bucket` (with `le`), `<name>_sum` and `<name>_count`, and a
// summary under `<name>` (with `quantile`), `<name>_sum` and `<name>_count`.
// The text is parsed by parse-prometheus-text-format (see the README's dependency notes).
// Values: NaN and +/-Inf have no JSON form, so they are null here; timestamps are in seconds.
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import type { PromSample } from '../../mapping/extensions/prometheus-lookup.js';
import { setOwn } from '../../own.js';

type Labels = Record<string, string>;
interface ParsedMetric {
  value?: string;
  labels?: Labels;
  timestamp_ms?: string;
  buckets?: Record<string, string>;
  quantiles?: Record<string, string>;
  count?: string;
  sum?: string;
}
interface ParsedFamily {
  name: string;
  help: string;
  type: string;
  metrics: ParsedMetric[];
}

export function promNumber(text: string | undefined): number | null {
  if (text === undefined) return null;
  const t = text.trim();
  const n = t === '+Inf' || t === 'Inf' ? Infinity : t === '-Inf' ? -Infinity : Number(t);
  return Number.isFinite(n) ? n : null;
}

/** Labels copied into a fresh object, so a label named `__proto__` is a label. */
function labelsOf(src: Labels | undefined, extra?: [string, string]): Labels {
  const out: Labels = {};
  if (src) for (const [k, v] of Object.entries(src)) setOwn(out, k, v);
  if (extra) setOwn(out, extra[0], extra[1]);
  return out;
}

export function parseExposition(text: string): Record<string, PromSample[]> {
  let families: ParsedFamily[];
  try {
    families = parsePrometheusTextFormat(text) as ParsedFamily[];
  } catch (e) {
    throw new Error(`not the Prometheus text format: ${e instanceof Error ? e.message : String(e)}`);
  }
  const out: Record<string, PromSample[]> = {};
  const add = (s: PromSample): void => {
    const list = Object.hasOwn(out, s.__metric__) ? out[s.__metric__] : undefined;
    if (list) list.push(s);
    else setOwn(out, s.__metric__, [s]);
  };
  for (const fam of families) {
    // prometheus_client's names: "untyped" is "unknown".
    const type = fam.type.toLowerCase() === 'untyped' ? 'unknown' : fam.type.toLowerCase();
    const base = { help: fam.help ?? '', type };
    for (const m of fam.metrics) {
      const timestamp = m.timestamp_ms === undefined ? null : (promNumber(m.timestamp_ms) ?? 0) / 1000;
      const sample = (name: string, labels: Labels, value: number | null): void =>
        add({ __metric__: name, labels, value, timestamp, ...base });
      if (m.buckets || m.quantiles) {
        const series = m.buckets ? { suffix: '_bucket', label: 'le', values: m.buckets } : { suffix: '', label: 'quantile', values: m.quantiles ?? {} };
        for (const [at, v] of Object.entries(series.values)) {
          sample(`${fam.name}${series.suffix}`, labelsOf(m.labels, [series.label, at]), promNumber(v));
        }
        if (m.sum !== undefined) sample(`${fam.name}_sum`, labelsOf(m.labels), promNumber(m.sum));
        if (m.count !== undefined) sample(`${fam.name}_count`, labelsOf(m.labels), promNumber(m.count));
        continue;
      }
      sample(fam.name, labelsOf(m.labels), promNumber(m.value));
    }
  }
  return out;
}
