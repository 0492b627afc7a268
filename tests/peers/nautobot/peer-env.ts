// Where the real Nautobot peer is and how to talk to it (test tooling; see README.md).
import { readFileSync } from 'node:fs';
import { jsonRequest } from '../json-request.js';
import { peerDir } from '../peer-dir.js';

export const PEER_DIR = peerDir('nautobot', process.env.NAUTOBOT_PEER_DIR);

export interface Peer {
  url: string;
  token: string;
}

/** NAUTOBOT_ADDRESS / NAUTOBOT_TOKEN when set, else what up.sh left in PEER_DIR. */
export function peerFromEnv(): Peer {
  const url = (process.env.NAUTOBOT_ADDRESS ?? `http://127.0.0.1:${process.env.NAUTOBOT_PEER_PORT ?? '18080'}`).replace(/\/+$/, '');
  const token = process.env.NAUTOBOT_TOKEN ?? readFileSync(`${PEER_DIR}/token`, 'utf8').trim();
  return { url, token };
}

export interface PeerResponse {
  status: number;
  body: unknown;
}

/** One JSON request; the token only ever travels in the header. */
export async function call(peer: Peer, method: string, path: string, body?: unknown): Promise<PeerResponse> {
  const { status, body: answer } = await jsonRequest(method, `${peer.url}${path}`, { authorization: `Token ${peer.token}` }, body);
  return { status, body: answer };
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Every object of a list endpoint (follows `next`). */
export async function listAll(peer: Peer, path: string): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  let next: string | null = `${path}${path.includes('?') ? '&' : '?'}limit=1000`;
  while (next) {
    const res = await call(peer, 'GET', next);
    if (res.status !== 200 || !isObject(res.body) || !Array.isArray(res.body.results)) {
      throw new Error(`GET ${path}: HTTP ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
    }
    out.push(...res.body.results.filter(isObject));
    const n: unknown = res.body.next;
    next = typeof n === 'string' ? n.slice(new URL(n).origin.length) : null;
  }
  return out;
}
