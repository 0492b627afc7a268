// Samples -> Prometheus text exposition format 0.0.4, as node_exporter writes it: families in
// name order, HELP and TYPE lines, label values escaped, values formatted as Go's
// strconv.FormatFloat(v, 'g', -1, 64) (1.6470933504e+10, 9000, NaN, +Inf).

export interface Sample {
  family: string;
  metric: string;
  type: string;
  help: string;
  labels: Record<string, string>;
  value: number;
}

export function goFloat(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const [mant, e] = v.toExponential().split('e') as [string, string];
  const exp = Number(e);
  if (exp < -4 || exp >= 6) return `${mant}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return String(v);
}

const escapeLabel = (v: string): string => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const escapeHelp = (v: string): string => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');

export function renderExposition(samples: readonly Sample[]): string {
  const families = new Map<string, Sample[]>();
  for (const s of samples) families.set(s.family, [...(families.get(s.family) ?? []), s]);
  const lines: string[] = [];
  for (const name of [...families.keys()].sort()) {
    const list = families.get(name) ?? [];
    const head = list.find((s) => s.metric === name) ?? list[0];
    lines.push(`# HELP ${name} ${escapeHelp(head?.help ?? '')}`);
    lines.push(`# TYPE ${name} ${head?.type ?? 'untyped'}`);
    for (const s of list) {
      const labels = Object.keys(s.labels).sort().map((k) => `${k}="${escapeLabel(s.labels[k] ?? '')}"`);
      lines.push(`${s.metric}${labels.length ? `{${labels.join(',')}}` : ''} ${goFloat(s.value)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
