// Tiny IPv4/IPv6 helper for the `is_ip_within` filter, after netutils.ip.is_ip_within: the
// value checked may be an address, a prefix or a range `a-b`; it is within when its whole span
// lies inside one of the compared addresses, prefixes or ranges.
// Differences from netutils, on inputs it rejects: an address with a mask whose host bits are
// set (`10.0.0.5/24`, NetBox's IP address form) stands for the address itself instead of
// raising, and comparing IPv4 with IPv6 is "not within" instead of a TypeError.

export interface IpSpan {
  v: 4 | 6;
  start: bigint;
  end: bigint;
}

export class IpParseError extends Error {
  override readonly name = 'IpParseError';
}

function parseV4(s: string): bigint | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0n;
  for (const p of parts) {
    // Python's ipaddress refuses leading zeros (ambiguous octal).
    if (!/^(0|[1-9]\d{0,2})$/.test(p)) return undefined;
    const v = Number(p);
    if (v > 255) return undefined;
    n = (n << 8n) | BigInt(v);
  }
  return n;
}

function parseV6(s: string): bigint | undefined {
  let text = s;
  let tail: bigint[] = [];
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.', lastColon)) {
    const v4 = parseV4(text.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    tail = [(v4 >> 16n) & 0xffffn, v4 & 0xffffn];
    text = `${text.slice(0, lastColon + 1)}x`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const toGroups = (h: string): string[] => (h === '' ? [] : h.split(':'));
  const head = toGroups(halves[0] as string);
  const rest = halves.length === 2 ? toGroups(halves[1] as string) : [];
  const groups: bigint[] = [];
  const pushAll = (gs: string[]): boolean => {
    for (const g of gs) {
      if (g === 'x') {
        groups.push(...tail);
        continue;
      }
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return false;
      groups.push(BigInt(`0x${g}`));
    }
    return true;
  };
  if (!pushAll(head)) return undefined;
  const before = groups.length;
  if (!pushAll(rest)) return undefined;
  const total = groups.length;
  if (halves.length === 2) {
    if (total > 7) return undefined;
    groups.splice(before, 0, ...Array<bigint>(8 - total).fill(0n));
  } else if (total !== 8) return undefined;
  return groups.reduce((acc, g) => (acc << 16n) | g, 0n);
}

function parseAddress(s: string): { v: 4 | 6; n: bigint } | undefined {
  const t = s.trim();
  const v4 = parseV4(t);
  if (v4 !== undefined) return { v: 4, n: v4 };
  const v6 = t.includes(':') ? parseV6(t) : undefined;
  return v6 === undefined ? undefined : { v: 6, n: v6 };
}

function maskLength(mask: string, v: 4 | 6): number | undefined {
  if (/^\d+$/.test(mask)) {
    const n = Number(mask);
    return n <= (v === 4 ? 32 : 128) ? n : undefined;
  }
  if (v !== 4) return undefined;
  const m = parseV4(mask);
  if (m === undefined) return undefined;
  const bits = m.toString(2).padStart(32, '0');
  return /^1*0*$/.test(bits) ? bits.indexOf('0') === -1 ? 32 : bits.indexOf('0') : undefined;
}

/** An address (one-address span), a prefix, or a range `start-end`. */
export function parseIpSpan(text: string): IpSpan {
  const s = text.trim();
  if (s.includes('-')) {
    const [a, b, extra] = s.split('-');
    const x = parseAddress(a ?? '');
    const y = parseAddress(b ?? '');
    if (extra !== undefined || !x || !y || x.v !== y.v || x.n >= y.n) throw new IpParseError(`'${text}' is not a valid IP range`);
    return { v: x.v, start: x.n, end: y.n };
  }
  const [addr, mask, extra] = s.split('/');
  const a = parseAddress(addr ?? '');
  if (!a || extra !== undefined) throw new IpParseError(`'${text}' does not appear to be an IPv4 or IPv6 address or network`);
  const bits = a.v === 4 ? 32 : 128;
  if (mask === undefined) return { v: a.v, start: a.n, end: a.n };
  const len = maskLength(mask, a.v);
  if (len === undefined) throw new IpParseError(`'${text}' has an invalid netmask`);
  const hostBits = BigInt(bits - len);
  const hostMask = (1n << hostBits) - 1n;
  if ((a.n & hostMask) !== 0n) return { v: a.v, start: a.n, end: a.n };
  return { v: a.v, start: a.n, end: a.n | hostMask };
}

export function spanWithin(inner: IpSpan, outer: IpSpan): boolean {
  return inner.v === outer.v && outer.start <= inner.start && inner.end <= outer.end;
}
