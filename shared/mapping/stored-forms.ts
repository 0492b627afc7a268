// Values a destination stores in another form than it is given: Infrahub keeps an IPHost
// "10.0.0.1" as "10.0.0.1/32" and an IPNetwork "10.0.0.7/24" as "10.0.0.0/24", IPv6 in
// compressed lower case. Source values are compared (and keyed) in the stored form, or every
// run would see a difference (and, for an identifier, create the record again). A value that
// does not parse is left as it is; the destination will say what is wrong with it.

export type StoredForm = 'ip-host' | 'ip-network';

interface Parsed {
  version: 4 | 6;
  /** Address as a big integer. */
  value: bigint;
  prefix: number;
}

function parseV4(s: string): bigint | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let v = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255 || (p.length > 1 && p.startsWith('0'))) return undefined;
    v = (v << 8n) | BigInt(Number(p));
  }
  return v;
}

function parseV6(s: string): bigint | undefined {
  let text = s;
  // An embedded IPv4 tail (::ffff:10.0.0.1) stands for two groups.
  const lastColon = text.lastIndexOf(':');
  if (lastColon >= 0 && text.slice(lastColon + 1).includes('.')) {
    const v4 = parseV4(text.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    text = `${text.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  if (!/^[0-9a-fA-F:]+$/.test(text)) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (g: string): bigint[] | undefined => {
    if (g === '') return [];
    const out: bigint[] = [];
    for (const x of g.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(x)) return undefined;
      out.push(BigInt(parseInt(x, 16)));
    }
    return out;
  };
  const left = groups(halves[0] ?? '');
  const right = halves.length === 2 ? groups(halves[1] ?? '') : [];
  if (!left || !right) return undefined;
  const given = left.length + right.length;
  if (halves.length === 2 ? given > 7 : given !== 8) return undefined;
  return [...left, ...Array<bigint>(8 - given).fill(0n), ...right].reduce((acc, g) => (acc << 16n) | g, 0n);
}

function parse(text: string): Parsed | undefined {
  const [addr, len, extra] = text.trim().split('/');
  if (!addr || extra !== undefined) return undefined;
  const version = addr.includes(':') ? 6 : 4;
  const value = version === 4 ? parseV4(addr) : parseV6(addr);
  const max = version === 4 ? 32 : 128;
  if (value === undefined) return undefined;
  if (len !== undefined && !/^\d{1,3}$/.test(len)) return undefined;
  const prefix = len === undefined ? max : Number(len);
  if (prefix > max) return undefined;
  return { version, value, prefix };
}

function formatV4(v: bigint): string {
  return [24n, 16n, 8n, 0n].map((s) => String((v >> s) & 0xffn)).join('.');
}

/** RFC 5952: lower case, no leading zeros, the longest run (2+) of zero groups as `::`. */
function formatV6(v: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) => Number((v >> BigInt((7 - i) * 16)) & 0xffffn));
  let bestAt = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestAt = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestAt < 0) return hex.join(':');
  return `${hex.slice(0, bestAt).join(':')}::${hex.slice(bestAt + bestLen).join(':')}`;
}

export function storedValue(form: StoredForm, v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const p = parse(v);
  if (!p) return v;
  const bits = p.version === 4 ? 32n : 128n;
  let value = p.value;
  if (form === 'ip-network') {
    const hostBits = bits - BigInt(p.prefix);
    value = (value >> hostBits) << hostBits;
  }
  return `${p.version === 4 ? formatV4(value) : formatV6(value)}/${p.prefix}`;
}
