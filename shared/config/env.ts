// Environment variables in adapter settings. Two mechanisms, both applied when an adapter is
// created (never at parse time, so the stored config keeps `${VAR}` and never a secret):
//
// 1. `${VAR}` placeholders inside setting strings. infrahub-sync's docs show `token: "${API_TOKEN}"`
//    but its code (5b15b6e6) does not expand them; we do. Supported: `${VAR}`, `${VAR:-default}`
//    (default when unset or empty), `${VAR-default}` (default only when unset) and `$${` for a
//    literal `${`. A bare `$VAR` is NOT expanded: passwords and tokens may contain `$`.
// 2. Per-adapter override variables (NAUTOBOT_TOKEN, ...). Upstream's adapters read them as
//    `os.environ.get(A) or os.environ.get(B) or settings.get(key)`: a non-empty variable WINS over
//    the config's setting, and an empty one is ignored. settingWithEnv keeps that precedence.

export type Env = Readonly<Record<string, string | undefined>>;

const PLACEHOLDER = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([^}]*))?\}/g;

/** Expands one string; names of unset variables without a default are added to `missing`. */
export function expandString(text: string, env: Env, missing: Set<string> = new Set()): string {
  return text.replace(PLACEHOLDER, (match, name: string | undefined, operator: string | undefined, fallback: string | undefined) => {
    if (name === undefined) return '${';
    // `${constructor}` names a variable, not a member every object inherits.
    const value = Object.hasOwn(env, name) ? env[name] : undefined;
    if (operator === ':-' && (value === undefined || value === '')) return fallback ?? '';
    if (operator === '-' && value === undefined) return fallback ?? '';
    if (value === undefined) {
      missing.add(name);
      return '';
    }
    return value;
  });
}

/**
 * Expands placeholders in every string of `settings`, deeply, without touching the input.
 * Unset variables expand to "" and are listed in `missing`; the caller decides whether that is a
 * warning (validate) or an error (diff, sync).
 */
export function expandSettings<T>(settings: T, env: Env): { value: T; missing: string[] } {
  const missing = new Set<string>();
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') return expandString(node, env, missing);
    if (Array.isArray(node)) return node.map(walk);
    if (node !== null && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, walk(value)]));
    }
    return node;
  };
  return { value: walk(settings) as T, missing: [...missing].sort() };
}

/**
 * A setting with upstream's environment precedence: the first non-empty variable of `envNames`,
 * else the setting itself (pass settings already run through expandSettings), else undefined.
 */
export function settingWithEnv(
  settings: Readonly<Record<string, unknown>>,
  key: string,
  envNames: readonly string[],
  env: Env,
): string | undefined {
  for (const name of envNames) {
    const value = env[name];
    if (value) return value;
  }
  const value = settings[key];
  if (value === undefined || value === null || value === '') return undefined;
  return typeof value === 'string' ? value : String(value);
}

/**
 * The variables upstream's adapters read (infrahub_sync/adapters/{nautobot,netbox,infrahub}.py),
 * per adapter and setting. Upstream applies the Infrahub ones to whichever side is Infrahub, so
 * an Infrahub-to-Infrahub sync gets the same URL on both sides when they are set.
 */
export const ENV_OVERRIDES = {
  nautobot: { url: ['NAUTOBOT_ADDRESS', 'NAUTOBOT_URL'], token: ['NAUTOBOT_TOKEN'] },
  netbox: { url: ['NETBOX_ADDRESS', 'NETBOX_URL'], token: ['NETBOX_TOKEN'] },
  infrahub: { url: ['INFRAHUB_ADDRESS', 'INFRAHUB_URL'], token: ['INFRAHUB_API_TOKEN'] },
} as const satisfies Record<string, Record<string, readonly string[]>>;
