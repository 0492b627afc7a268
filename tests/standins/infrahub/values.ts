import { isIPv4, isIPv6 } from 'node:net';
import { constraintViolation, invalidType, StandinError } from './errors.js';
import type { AttributeSchema } from './schema-types.js';

const TEXT_KINDS = new Set(['Text', 'TextArea', 'Email', 'Password', 'HashedPassword', 'URL', 'File', 'Color', 'DateTime', 'ID', 'MacAddress', 'Dropdown', 'IPHost', 'IPNetwork']);
const INTEGER_KINDS = new Set(['Number', 'Bandwidth']);
const BOOLEAN_KINDS = new Set(['Boolean', 'Checkbox']);

function typeName(value: unknown): string {
  if (typeof value === 'string') return 'String';
  if (typeof value === 'number') return Number.isInteger(value) ? 'Integer' : 'Float';
  if (typeof value === 'boolean') return 'Boolean';
  if (Array.isArray(value)) return 'List';
  return 'Object';
}

/** Checks and normalises one attribute value as Infrahub would before storing it. */
export function normaliseValue(kind: string, attr: AttributeSchema, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (INTEGER_KINDS.has(attr.kind)) {
    const n = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isInteger(n)) throw invalidType(kind, attr.name, 'Integer', typeName(value));
    return n;
  }
  if (BOOLEAN_KINDS.has(attr.kind)) {
    if (typeof value !== 'boolean') throw invalidType(kind, attr.name, 'Boolean', typeName(value));
    return value;
  }
  if (!TEXT_KINDS.has(attr.kind)) return value;
  if (typeof value !== 'string') throw invalidType(kind, attr.name, 'String', typeName(value));
  if (attr.kind === 'Dropdown') {
    const names = (attr.choices ?? []).map((c) => c.name);
    if (!names.includes(value)) {
      const allowed = [...names].sort().join(', ');
      throw constraintViolation(kind, attr.name, 'choices', allowed, `${value} must be one of '${allowed}'`);
    }
  }
  if (attr.kind === 'IPHost') return normaliseHost(kind, attr.name, value);
  if (attr.kind === 'IPNetwork') return normaliseNetwork(kind, attr.name, value);
  if (attr.regex && !new RegExp(attr.regex).test(value)) throw constraintViolation(kind, attr.name, 'regex', attr.regex);
  if (attr.maxLength !== null && value.length > attr.maxLength) throw constraintViolation(kind, attr.name, 'max_length', attr.maxLength);
  if (attr.minLength !== null && value.length < attr.minLength) throw constraintViolation(kind, attr.name, 'min_length', attr.minLength);
  return value;
}

interface ParsedIp {
  version: 4 | 6;
  address: string;
  prefixlen: number;
  /** IPv4 only: the address as an unsigned 32-bit number. */
  int: number;
}

function parseIp(kind: string, field: string, value: string, attrKind: 'IPHost' | 'IPNetwork' = 'IPNetwork'): ParsedIp {
  const [addrRaw, lenRaw, extra] = value.trim().split('/');
  const addr = (addrRaw ?? '').toLowerCase();
  const version = isIPv4(addr) ? 4 : isIPv6(addr) ? 6 : 0;
  const max = version === 4 ? 32 : 128;
  const prefixlen = lenRaw === undefined ? max : /^\d+$/.test(lenRaw) ? Number(lenRaw) : -1;
  if (version === 0 || extra !== undefined || prefixlen < 0 || prefixlen > max) {
    // As a real Infrahub 1.11.9 answers: an IPHost fails inside Python's ipaddress (a 500 with its
    // message), an IPNetwork fails Infrahub's own type check.
    if (attrKind === 'IPHost') {
      throw new StandinError(`'${value}' does not appear to be an IPv4 or IPv6 interface`, 'UNDEFINED_ERROR', 500, {});
    }
    throw new StandinError(`${value} is not a valid IPNetwork at ${field}`, 'ATTRIBUTE_INVALID_TYPE', 422, {
      node_kind: kind,
      field_name: field,
      expected_type: 'IPNetwork',
      received_type: value,
    });
  }
  const int = version === 4 ? addr.split('.').reduce((acc, o) => acc * 256 + Number(o), 0) : 0;
  return { version, address: addr, prefixlen, int };
}

function intToIpv4(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

function ipv4Mask(prefixlen: number): number {
  return prefixlen === 0 ? 0 : (2 ** 32 - 2 ** (32 - prefixlen));
}

function normaliseHost(kind: string, field: string, value: string): string {
  const ip = parseIp(kind, field, value, 'IPHost');
  return `${ip.address}/${ip.prefixlen}`;
}

function normaliseNetwork(kind: string, field: string, value: string): string {
  const ip = parseIp(kind, field, value);
  if (ip.version === 4) {
    const mask = ipv4Mask(ip.prefixlen);
    const network = ip.int - (ip.int % 2 ** (32 - ip.prefixlen));
    if (network !== ip.int || (ip.int & ~mask) >>> 0 !== 0) {
      throw new StandinError(`${value} has host bits set`, 'ATTRIBUTE_CONSTRAINT_VIOLATION', 422, {
        node_kind: kind,
        field_name: field,
        constraint: 'network',
        detail: value,
      });
    }
  }
  return `${ip.address}/${ip.prefixlen}`;
}

/** Derived read-only fields of IPHost / IPNetwork attribute objects (IPv4 fully, IPv6 partly). */
export function ipDetails(value: string): Record<string, string | number | null> {
  const ip = parseIp('', '', value);
  if (ip.version === 6) {
    return { ip: ip.address, prefixlen: ip.prefixlen, version: 6, netmask: null, hostmask: null, with_hostmask: null, with_netmask: null, broadcast_address: null, num_addresses: null };
  }
  const mask = ipv4Mask(ip.prefixlen);
  const hostmask = 2 ** 32 - 1 - mask;
  const network = ip.int - (ip.int % 2 ** (32 - ip.prefixlen));
  return {
    ip: ip.address,
    prefixlen: ip.prefixlen,
    version: 4,
    netmask: intToIpv4(mask),
    hostmask: intToIpv4(hostmask),
    with_netmask: `${ip.address}/${intToIpv4(mask)}`,
    with_hostmask: `${ip.address}/${intToIpv4(hostmask)}`,
    broadcast_address: intToIpv4(network + hostmask),
    network_address: intToIpv4(network),
    num_addresses: 2 ** (32 - ip.prefixlen),
  };
}
