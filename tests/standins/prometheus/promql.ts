// The part of PromQL the stand-in answers, enough for infrahub-sync's API mode as its docs show
// it: instant vector selectors with label matchers (=, !=, =~, !~; `name{...}` or
// `{__name__="..."}`), the aggregations sum, count, min, max and avg with `by (...)` or
// `without (...)` before or after the argument, and number literals (a scalar). Anything else is
// refused as Prometheus refuses a query it cannot parse: HTTP 400, errorType bad_data.

export interface Series {
  labels: Record<string, string>;
  value: number;
}

export type Result = { type: 'vector'; series: Series[] } | { type: 'scalar'; value: number };

export class PromqlError extends Error {}

type Matcher = { name: string; op: '=' | '!=' | '=~' | '!~'; value: string };
type Node =
  | { t: 'selector'; matchers: Matcher[] }
  | { t: 'number'; value: number }
  | { t: 'agg'; op: string; by?: string[]; without?: string[]; arg: Node };

const AGG = new Set(['sum', 'count', 'min', 'max', 'avg']);

function tokenize(q: string): string[] {
  const re = /\s*(=~|!~|!=|[(){},=]|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[A-Za-z_:][A-Za-z0-9_:]*|[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)\s*/y;
  const out: string[] = [];
  let at = 0;
  while (at < q.length) {
    re.lastIndex = at;
    const m = re.exec(q);
    if (!m) throw new PromqlError(`1:${at + 1}: parse error: unexpected character ${JSON.stringify(q[at])}`);
    out.push(m[1] as string);
    at = re.lastIndex;
  }
  return out;
}

export function parsePromql(q: string): Node {
  const toks = tokenize(q.trim());
  let i = 0;
  const peek = (): string | undefined => toks[i];
  const take = (want?: string): string => {
    const t = toks[i++];
    if (t === undefined || (want !== undefined && t !== want)) throw new PromqlError(`parse error: expected ${want ?? 'more'}, found ${t ?? 'end of input'}`);
    return t;
  };
  const labelList = (): string[] => {
    take('(');
    const names: string[] = [];
    while (peek() !== ')') {
      names.push(take());
      if (peek() === ',') take(',');
    }
    take(')');
    return names;
  };
  const unquote = (s: string): string => {
    if (!/^["']/.test(s)) throw new PromqlError(`parse error: unexpected ${s} in label matching, expected string`);
    return s.slice(1, -1).replace(/\\(.)/g, '$1');
  };
  const expr = (): Node => {
    const t = peek();
    if (t === undefined) throw new PromqlError('parse error: no expression found in input');
    if (/^[0-9]/.test(t)) return { t: 'number', value: Number(take()) };
    if (AGG.has(t)) {
      take();
      let by: string[] | undefined;
      let without: string[] | undefined;
      const grouping = (): void => {
        if (peek() === 'by') {
          take();
          by = labelList();
        } else if (peek() === 'without') {
          take();
          without = labelList();
        }
      };
      grouping();
      take('(');
      const arg = expr();
      take(')');
      grouping();
      return { t: 'agg', op: t, by, without, arg };
    }
    const matchers: Matcher[] = [];
    if (t !== '{') {
      if (!/^[A-Za-z_:]/.test(t)) throw new PromqlError(`parse error: unexpected ${t}`);
      matchers.push({ name: '__name__', op: '=', value: take() });
      if (peek() === '(') throw new PromqlError(`parse error: unknown function with name "${t}"`);
    }
    if (peek() === '{') {
      take('{');
      while (peek() !== '}') {
        const name = take();
        const op = take();
        if (!['=', '!=', '=~', '!~'].includes(op)) throw new PromqlError(`parse error: unexpected ${op} in label matching, expected label matching operator`);
        matchers.push({ name, op: op as Matcher['op'], value: unquote(take()) });
        if (peek() === ',') take(',');
      }
      take('}');
    }
    if (!matchers.some((m) => m.name === '__name__' || (m.op === '=' && m.value !== '') || m.op === '=~')) {
      throw new PromqlError('vector selector must contain at least one non-empty matcher');
    }
    return { t: 'selector', matchers };
  };
  const node = expr();
  if (i < toks.length) throw new PromqlError(`parse error: unexpected ${toks[i]}`);
  return node;
}

function matches(m: Matcher, labels: Record<string, string>): boolean {
  const v = labels[m.name] ?? '';
  switch (m.op) {
    case '=':
      return v === m.value;
    case '!=':
      return v !== m.value;
    case '=~':
      return new RegExp(`^(?:${m.value})$`).test(v);
    default:
      return !new RegExp(`^(?:${m.value})$`).test(v);
  }
}

export function evaluate(node: Node, all: readonly Series[]): Result {
  if (node.t === 'number') return { type: 'scalar', value: node.value };
  if (node.t === 'selector') return { type: 'vector', series: all.filter((s) => node.matchers.every((m) => matches(m, s.labels))) };
  const inner = evaluate(node.arg, all);
  if (inner.type !== 'vector') throw new PromqlError(`expected type instant vector in aggregation expression, got scalar`);
  const groups = new Map<string, { labels: Record<string, string>; values: number[] }>();
  for (const s of inner.series) {
    const labels: Record<string, string> = {};
    for (const [k, v] of Object.entries(s.labels)) {
      if (k === '__name__') continue;
      if (node.by ? node.by.includes(k) : node.without ? !node.without.includes(k) : false) labels[k] = v;
    }
    const key = JSON.stringify(Object.entries(labels).sort());
    const g = groups.get(key) ?? { labels, values: [] };
    g.values.push(s.value);
    groups.set(key, g);
  }
  const fold = (vals: number[]): number => {
    switch (node.op) {
      case 'count':
        return vals.length;
      case 'min':
        return Math.min(...vals);
      case 'max':
        return Math.max(...vals);
      case 'avg':
        return vals.reduce((a, b) => a + b, 0) / vals.length;
      default:
        return vals.reduce((a, b) => a + b, 0);
    }
  };
  return { type: 'vector', series: [...groups.values()].map((g) => ({ labels: g.labels, value: fold(g.values) })) };
}
