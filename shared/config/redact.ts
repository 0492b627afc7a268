// Keeps secrets out of anything printed, logged or written: configs shown to users, error texts.
import type { LoadedConfig, SyncConfig } from './types.js';

export const REDACTED = '***';

// Substrings that mark a key as secret wherever they appear (`api_token`, `X-Auth-Token`).
const SECRET_PART = /token|passw(or)?d|secret|api[_-]?key|authorization|credential|cookie/i;
// Words that mark a key as secret only as the whole key or its last word: `auth` (IP Fabric's
// token setting) and `private_key` are secret, `auth_method` and `response_key_pattern` are not.
const SECRET_LAST_WORD = /(^|[_\-.])(key|auth)$|[a-z0-9](Key|Auth)$/;

export function isSecretKey(key: string): boolean {
  return SECRET_PART.test(key) || SECRET_LAST_WORD.test(key) || /^(key|auth)$/i.test(key);
}

// A value made only of `${NAME}` references names a variable, not a secret: showing it helps
// users see where the value comes from. A `${NAME:-default}` may carry a secret default.
const ONLY_ENV_REFERENCES = /^\s*(\$\{[A-Za-z_][A-Za-z0-9_]*\}\s*)+$/;

// `scheme://user:password@host`: the password part of a URL is a secret whatever its key.
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:)([^@\s/]+)(@)/gi;

/** Deep copy of `value` with secret-keyed values replaced by "***" and URL passwords masked. */
export function redactSettings<T>(value: T): T {
  const walk = (node: unknown, secret: boolean): unknown => {
    if (secret && node !== null && node !== undefined && !(typeof node === 'string' && ONLY_ENV_REFERENCES.test(node))) {
      return REDACTED;
    }
    if (typeof node === 'string') return node.replace(URL_PASSWORD, `$1${REDACTED}$3`);
    if (Array.isArray(node)) return node.map((item) => walk(item, false));
    if (node !== null && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([key, item]) => [key, walk(item, isSecretKey(key))]));
    }
    return node;
  };
  return walk(value, false) as T;
}

/** Every secret value found in `value` (secret-keyed scalars, URL passwords), for redactText. */
export function collectSecrets(value: unknown): string[] {
  const found = new Set<string>();
  const walk = (node: unknown, secret: boolean): void => {
    if (typeof node === 'string' || typeof node === 'number') {
      const text = String(node);
      if (secret && !ONLY_ENV_REFERENCES.test(text)) found.add(text);
      for (const match of text.matchAll(URL_PASSWORD)) if (match[2]) found.add(match[2]);
    } else if (Array.isArray(node)) {
      node.forEach((item) => walk(item, secret));
    } else if (node !== null && typeof node === 'object') {
      for (const [key, item] of Object.entries(node)) walk(item, secret || isSecretKey(key));
    }
  };
  walk(value, false);
  found.delete('');
  return [...found];
}

/**
 * Replaces each known secret in free text (server messages, stack traces) with "***", including
 * its URL-encoded form. Longest first, so a secret containing another is masked whole.
 */
export function redactText(text: string, secrets: readonly string[]): string {
  const variants = new Set<string>();
  for (const secret of secrets) {
    if (secret === '') continue;
    variants.add(secret);
    variants.add(encodeURIComponent(secret));
  }
  let out = text;
  for (const secret of [...variants].sort((a, b) => b.length - a.length)) {
    out = out.split(secret).join(REDACTED);
  }
  return out;
}

/** The config as it may be shown or stored for humans: every secret setting masked. */
export function printableConfig(loaded: LoadedConfig | SyncConfig): SyncConfig {
  const config = 'config' in loaded ? loaded.config : loaded;
  return redactSettings(config);
}

/**
 * Moves literal secrets out of the settings of `source`, `destination` and `store`: each becomes a
 * `${INFRAHUB_SYNC_SECRET_<n>}` reference and its value goes to `env`. A run stores the returned
 * config (S3, `.runs/`), so nothing secret is written; whoever runs it adds `env` to the
 * environment its adapters expand settings from. URL passwords stay: they are rare and would
 * need the URL split; such a config is refused by `literalSecrets` where that matters.
 */
export function extractLiteralSecrets(loaded: LoadedConfig): { loaded: LoadedConfig; env: Record<string, string> } {
  const env: Record<string, string> = {};
  let n = 0;
  const walk = (node: unknown, secret: boolean): unknown => {
    if (secret && (typeof node === 'string' || typeof node === 'number') && !ONLY_ENV_REFERENCES.test(String(node))) {
      const name = `INFRAHUB_SYNC_SECRET_${n++}`;
      env[name] = String(node);
      return `\${${name}}`;
    }
    if (Array.isArray(node)) return node.map((item) => walk(item, secret));
    if (node !== null && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([key, item]) => [key, walk(item, secret || isSecretKey(key))]));
    }
    return node;
  };
  const c = loaded.config;
  const config: SyncConfig = {
    ...c,
    source: walk(c.source, false) as SyncConfig['source'],
    destination: walk(c.destination, false) as SyncConfig['destination'],
    ...(c.store ? { store: walk(c.store, false) as NonNullable<SyncConfig['store']> } : {}),
  };
  return { loaded: { ...loaded, config }, env };
}

/** Setting paths that hold a literal secret (not a `${VAR}` reference), e.g. `source.settings.token`. */
export function literalSecrets(config: SyncConfig): string[] {
  const paths: string[] = [];
  const walk = (node: unknown, path: string, secret: boolean): void => {
    if (typeof node === 'string' || typeof node === 'number') {
      const text = String(node);
      if ((secret && !ONLY_ENV_REFERENCES.test(text) && text !== '') || URL_PASSWORD.test(text)) paths.push(path);
      URL_PASSWORD.lastIndex = 0;
    } else if (Array.isArray(node)) {
      node.forEach((item, i) => walk(item, `${path}[${i}]`, secret));
    } else if (node !== null && typeof node === 'object') {
      for (const [key, item] of Object.entries(node)) walk(item, `${path}.${key}`, secret || isSecretKey(key));
    }
  };
  walk(config.source, 'source', false);
  walk(config.destination, 'destination', false);
  if (config.store) walk(config.store, 'store', false);
  return paths;
}
