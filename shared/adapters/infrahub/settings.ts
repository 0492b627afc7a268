// Infrahub adapter settings, resolved the way infrahub-sync resolves them.
//
// Environment variables (they win over the config, as in infrahub-sync, so addresses and
// credentials can stay out of YAML):
//   INFRAHUB_ADDRESS   server address, e.g. http://localhost:8000 (INFRAHUB_URL is accepted too)
//   INFRAHUB_API_TOKEN API token, sent as the X-INFRAHUB-KEY header
// Config settings (source or destination `settings:`):
//   url, token        used when the variables above are not set
//   branch            branch to read/write; else the CLI --branch; else the server's default branch
//   create_branch     create the branch when it does not exist (default false: error)
//   page_size         nodes per query page (default 500)
//   concurrency       parallel requests per model (default 4)
//   batch_size        mutations per request, sent as aliases (default 25)
//   timeout           seconds per request (default 60, as infrahub-sync's SDK config); a request
//                     of N batched mutations gets N times that (infrahub-sync sends one per request)
//   verify_ssl        false accepts self-signed certificates
//   retries           retries of a transient failure (default 4)
//   source, owner     lineage written with every value: the CoreAccountGroup (else CoreAccount)
//                     of that name; default the CoreAccount named after the source adapter
//                     (lineage.ts)
import type { AdapterConfig } from '../../config/types.js';
import { ConfigError } from '../../errors.js';
import type { AdapterContext } from '../types.js';

export interface InfrahubSettings {
  url: string;
  token?: string;
  /** Branch asked for; undefined means the server's default branch. */
  branch?: string;
  createBranch: boolean;
  pageSize: number;
  concurrency: number;
  batchSize: number;
  timeoutMs: number;
  verifySsl: boolean;
  retries: number;
  /** Account group (or account) names for the lineage of written values. */
  source?: string;
  owner?: string;
}

function positive(settings: Record<string, unknown>, key: string, fallback: number): number {
  const raw = settings[key];
  if (raw === undefined || raw === null || raw === '') return fallback;
  const n = typeof raw === 'number' ? raw : Number(raw);
  if (!Number.isFinite(n) || n <= 0) {
    throw new ConfigError(`infrahub: settings.${key} must be a positive number, got ${JSON.stringify(raw)}`);
  }
  return n;
}

function positiveInt(settings: Record<string, unknown>, key: string, fallback: number): number {
  return Math.max(1, Math.floor(positive(settings, key, fallback)));
}

function nonEmpty(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

function bool(v: unknown, fallback: boolean): boolean {
  if (v === undefined || v === null) return fallback;
  if (typeof v === 'boolean') return v;
  return !['false', '0', 'no', 'off'].includes(String(v).toLowerCase());
}

function lineageName(settings: Record<string, unknown>, key: 'source' | 'owner'): string | undefined {
  const raw = settings[key];
  if (raw === undefined || raw === null) return undefined;
  const name = nonEmpty(raw);
  if (!name) throw new ConfigError(`infrahub: settings.${key} must name an account group or account, got ${JSON.stringify(raw)}`);
  return name;
}

export function resolveSettings(config: AdapterConfig, ctx: Pick<AdapterContext, 'env' | 'branch'>): InfrahubSettings {
  const s = config.settings ?? {};
  const url = nonEmpty(ctx.env.INFRAHUB_ADDRESS) ?? nonEmpty(ctx.env.INFRAHUB_URL) ?? nonEmpty(s.url);
  if (!url) {
    throw new ConfigError('infrahub: no server address: set settings.url or INFRAHUB_ADDRESS');
  }
  if (!/^https?:\/\//i.test(url)) {
    throw new ConfigError(`infrahub: server address must start with http:// or https://, got "${url}"`);
  }
  return {
    url: url.replace(/\/+$/, ''),
    token: nonEmpty(ctx.env.INFRAHUB_API_TOKEN) ?? nonEmpty(s.token),
    branch: nonEmpty(s.branch) ?? nonEmpty(ctx.branch),
    createBranch: bool(s.create_branch, false),
    pageSize: positiveInt(s, 'page_size', 500),
    concurrency: positiveInt(s, 'concurrency', 4),
    batchSize: positiveInt(s, 'batch_size', 25),
    timeoutMs: Math.round(positive(s, 'timeout', 60) * 1000),
    verifySsl: bool(s.verify_ssl, true),
    retries: s.retries === 0 ? 0 : positiveInt(s, 'retries', 4),
    source: lineageName(s, 'source'),
    owner: lineageName(s, 'owner'),
  };
}
