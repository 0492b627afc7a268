// upstream's filter_networks and filter_interfaces, on plain rows: routing-table rows become
// prefixes (`normalized_prefix`), leaving out host routes, defaults, multicast, link-local and
// loopback; interface rows with an address get `normalized_address` (a bare address as /32)
// and the first of those prefixes that holds it (`prefix`, `vrf`).
import { parseIpSpan, spanWithin, type IpSpan } from '../../mapping/ip.js';

type Row = Record<string, unknown>;

const IGNORED = ['0.0.0.0/0', '0.0.0.0/32', '::/0', '224.0.0.0/4', '255.255.255.255', 'ff00::/8', '169.254.0.0/16', 'fe80::/10', '127.0.0.0/8', '::1/128'];

interface Net {
  span: IpSpan;
  len: number;
  text: string;
}

/** Python's ip_network(text, strict=False): host bits are cleared. */
export function network(text: string): Net | undefined {
  const [addr = '', lenText] = text.trim().split('/');
  let a: IpSpan;
  try {
    a = parseIpSpan(addr);
  } catch {
    return undefined;
  }
  const bits = a.v === 4 ? 32 : 128;
  const len = lenText === undefined ? bits : /^\d+$/.test(lenText) ? Number(lenText) : NaN;
  if (!(len >= 0 && len <= bits)) return undefined;
  const host = (1n << BigInt(bits - len)) - 1n;
  const start = a.start & ~host;
  const v4 = (n: bigint) => [24n, 16n, 8n, 0n].map((s) => String((n >> s) & 0xffn)).join('.');
  const v6 = (n: bigint) => Array.from({ length: 8 }, (_, i) => ((n >> BigInt((7 - i) * 16)) & 0xffffn).toString(16)).join(':');
  return { span: { v: a.v, start, end: start | host }, len, text: `${a.v === 4 ? v4(start) : v6(start)}/${len}` };
}

const IGNORED_NETS = IGNORED.map((t) => network(t)).filter((n): n is Net => n !== undefined);

function normalizePrefix(row: Row): string {
  const net = String(row.Network ?? '');
  const mask = String(row.Mask ?? '');
  if (net.includes('/')) return net;
  return mask ? `${net}/${mask}` : net;
}

export function filterNetworks(rows: Row[]): Row[] {
  return rows
    .map((r) => ({ ...r, normalized_prefix: normalizePrefix(r) }))
    .filter((r) => {
      const n = network(r.normalized_prefix);
      if (!n) return true; // upstream keeps what it cannot parse
      if (n.len === 32 || n.len === 128) return false;
      return !IGNORED_NETS.some((i) => i.span.v === n.span.v && i.span.start === n.span.start && i.len === n.len);
    });
}

export function filterInterfaces(rows: Row[], networks: Row[]): Row[] {
  const prefixes = networks.flatMap((p) => {
    const n = network(String(p.normalized_prefix));
    return n ? [{ n, vrf: p.Vrf ?? null }] : [];
  });
  const out: Row[] = [];
  for (const r of rows) {
    let ip = r.IP;
    if (Array.isArray(ip)) ip = ip[0];
    if (!ip) continue;
    const address = String(ip).includes('/') ? String(ip) : `${String(ip)}/32`;
    const n = network(address);
    if (!n) continue;
    const row: Row = { ...r, normalized_address: address };
    const holder = prefixes.find((p) => p.n.len <= n.len && spanWithin(n.span, p.n.span));
    if (holder) {
      row.prefix = holder.n.text;
      row.vrf = holder.vrf;
    }
    out.push(row);
  }
  return out;
}
