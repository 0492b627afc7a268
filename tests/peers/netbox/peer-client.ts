// A small REST client for the real NetBox peer (seeding and raw requests for the check).
// Deliberately not the adapter's client: the check must see the server's answers as they are.
import { netboxAuthorization } from '../../../shared/adapters/netbox/auth.js';
import { jsonRequest, type JsonAnswer } from '../json-request.js';

export interface PeerEnv {
  url: string;
  token: string;
  /** The legacy v1 token, when up.sh made one. */
  tokenV1?: string;
}

export function peerEnv(env: NodeJS.ProcessEnv = process.env): PeerEnv {
  const url = env.NETBOX_ADDRESS ?? env.NETBOX_URL;
  const token = env.NETBOX_TOKEN;
  if (!url || !token) {
    throw new Error('set NETBOX_ADDRESS and NETBOX_TOKEN (set -a; . <PEERS_DIR>/netbox/root/peer.env; set +a; PEERS_DIR defaults to .peers/)');
  }
  return { url: url.replace(/\/+$/, ''), token, tokenV1: env.NETBOX_TOKEN_V1 || undefined };
}

export type RawResponse = JsonAnswer;

const BATCH = 200;

export class PeerClient {
  constructor(private readonly env: PeerEnv) {}

  /** `table` as `app.endpoint` (`dcim.device-types`). */
  endpoint(table: string): string {
    return `${this.env.url}/api/${table.replace('.', '/')}/`;
  }

  /** `token` '' sends no Authorization header at all. */
  async request(method: string, url: string, body?: unknown, token = this.env.token): Promise<RawResponse> {
    return jsonRequest(method, url, token === '' ? {} : { authorization: netboxAuthorization(token) }, body);
  }

  async list(table: string): Promise<Record<string, unknown>[]> {
    const out: Record<string, unknown>[] = [];
    let next: string | null = `${this.endpoint(table)}?limit=1000`;
    while (next) {
      const res = await this.request('GET', next);
      if (res.status !== 200) throw new Error(`GET ${table}: HTTP ${res.status} ${JSON.stringify(res.body).slice(0, 500)}`);
      const page = res.body as { results: Record<string, unknown>[]; next: string | null };
      out.push(...page.results);
      next = page.next;
    }
    return out;
  }

  async createMany(table: string, payloads: unknown[]): Promise<Record<string, unknown>[]> {
    const out: Record<string, unknown>[] = [];
    for (let i = 0; i < payloads.length; i += BATCH) {
      const res = await this.request('POST', this.endpoint(table), payloads.slice(i, i + BATCH));
      if (res.status !== 201) {
        throw new Error(`POST ${table}: HTTP ${res.status} ${JSON.stringify(res.body).slice(0, 1500)}`);
      }
      out.push(...(res.body as Record<string, unknown>[]));
    }
    return out;
  }
}
