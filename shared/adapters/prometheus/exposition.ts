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
function labelsOf(src: Labels | undefined): Labels {
  const out: Labels = {};
  if (src) for (const [k, v] of Object.entries(src)) setOwn(out, k, v);
  return out;
}

export function parseExposition(text: string): Record<string, PromSample[]> {
  // parse-prometheus-text-format folds a histogram or summary into one object per series and, for
  // a labelled one, drops its labels and its _sum and _count (seen with
  // `h_bucket{le="0.5",path="/"}`). Declared untyped, each sample line stays a sample with its
  // labels, which is the shape needed here; the declared type and help are put back after.
  const declared = new Map<string, { type: string; help: string }>();
  const lines = text.split('\n').map((line) => {
    const help = /^#\s*HELP\s+(\S+)\s?(.*)$/.exec(line);
    if (help) {
      const d = declared.get(help[1] as string) ?? { type: 'unknown', help: '' };
      d.help = (help[2] ?? '').replace(/\\n/g, '\n').replace(/\\\\/g, '\\');
      declared.set(help[1] as string, d);
      return line;
    }
    const type = /^#\s*TYPE\s+(\S+)\s+(\S+)\s*$/.exec(line);
    if (!type) return line;
    const name = type[1] as string;
    const kind = (type[2] as string).toLowerCase();
    const d = declared.get(name) ?? { type: 'unknown', help: '' };
    // prometheus_client's names: "untyped" is "unknown".
    d.type = kind === 'untyped' ? 'unknown' : kind;
    declared.set(name, d);
    return kind === 'histogram' || kind === 'summary' ? `# TYPE ${name} untyped` : line;
  });
  let families: ParsedFamily[];
  try {
    families = parsePrometheusTextFormat(lines.join('\n')) as ParsedFamily[];
  } catch (e) {
    throw new Error(`not the Prometheus text format: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  const familyOf = (name: string): { type: string; help: string } => {
    const own = declared.get(name);
    if (own) return own;
    for (const suffix of ['_bucket', '_sum', '_count']) {
      const base = declared.get(name.slice(0, -suffix.length));
      if (name.endsWith(suffix) && base && (base.type === 'histogram' || base.type === 'summary')) return base;
    }
    return { type: 'unknown', help: '' };
  };
  const out: Record<string, PromSample[]> = {};
  for (const fam of families) {
    if (fam.metrics.length === 0) continue;
    const meta = familyOf(fam.name);
    const list: PromSample[] = fam.metrics.map((m) => ({
      __metric__: fam.name,
      labels: labelsOf(m.labels),
      value: promNumber(m.value),
      timestamp: m.timestamp_ms === undefined ? null : (promNumber(m.timestamp_ms) ?? 0) / 1000,
      help: meta.help,
      type: meta.type,
    }));
    const prev = Object.hasOwn(out, fam.name) ? out[fam.name] : undefined;
    if (prev) prev.push(...list);
    else setOwn(out, fam.name, list);
  }
  return out;
}
