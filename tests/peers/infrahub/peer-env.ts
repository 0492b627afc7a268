// Where the real Infrahub peer is and how to talk to it (test tooling; see README.md).
import { existsSync, readFileSync } from 'node:fs';
import { jsonRequest } from '../json-request.js';
import { peerDir } from '../peer-dir.js';

export const PEER_DIR = peerDir('infrahub', process.env.INFRAHUB_PEER_DIR);

export interface Peer {
  url: string;
  token: string;
}

/** INFRAHUB_ADDRESS / INFRAHUB_API_TOKEN when set, else what up.sh left in PEER_DIR/peer.env. */
export function peerFromEnv(): Peer {
  const file: Record<string, string> = {};
  const envFile = `${PEER_DIR}/peer.env`;
  if (existsSync(envFile)) {
    for (const line of readFileSync(envFile, 'utf8').split('\n')) {
      const eq = line.indexOf('=');
      if (eq > 0) file[line.slice(0, eq)] = line.slice(eq + 1).trim();
    }
  }
  const url = (process.env.INFRAHUB_ADDRESS ?? file.INFRAHUB_ADDRESS ?? 'http://127.0.0.1:18000').replace(/\/+$/, '');
  const token = process.env.INFRAHUB_API_TOKEN ?? file.INFRAHUB_API_TOKEN;
  if (!token) throw new Error(`no INFRAHUB_API_TOKEN and no ${envFile}; run tests/peers/infrahub/up.sh`);
  return { url, token };
}

export interface PeerResponse {
  status: number;
  body: unknown;
}

/** One JSON request; the token only travels in the X-INFRAHUB-KEY header. */
export async function call(peer: Peer, method: string, path: string, body?: unknown, token: string | null = peer.token): Promise<PeerResponse> {
  const auth: Record<string, string> = token === null ? {} : { 'x-infrahub-key': token };
  const { status, body: answer } = await jsonRequest(method, `${peer.url}${path}`, auth, body);
  return { status, body: answer };
}

/** A GraphQL request on a branch (default branch when omitted). */
export async function graphql(peer: Peer, query: string, variables: Record<string, unknown> = {}, branch?: string, token: string | null = peer.token): Promise<PeerResponse> {
  return call(peer, 'POST', branch ? `/graphql/${encodeURIComponent(branch)}` : '/graphql', { query, variables }, token);
}
