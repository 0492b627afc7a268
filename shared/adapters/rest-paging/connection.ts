// Where the url and token of Nautobot/NetBox come from. As in infrahub-sync's adapters, the
// environment wins over the config (`NAUTOBOT_ADDRESS` / `NAUTOBOT_URL` / `NAUTOBOT_TOKEN`,
// same for NETBOX_): the upstream example configs hard-code `http://localhost:8000` and rely
// on this to point them at a real server.
import { ConfigError } from '../../errors.js';
import type { Logger } from '../../log.js';
import { fromEnv, parseBaseUrl } from './settings.js';

export interface Connection {
  baseUrl: URL;
  token: string;
}

export function resolveConnection(
  system: string,
  prefix: string,
  settings: { url?: string; token?: string },
  env: NodeJS.ProcessEnv,
  logger: Logger,
): Connection {
  const urlEnv = fromEnv(env, [`${prefix}_ADDRESS`, `${prefix}_URL`]);
  const tokenEnv = fromEnv(env, [`${prefix}_TOKEN`]);
  const rawUrl = urlEnv?.value ?? settings.url;
  const token = tokenEnv?.value ?? settings.token;
  if (!rawUrl || !token) {
    const missing = [!rawUrl ? 'url' : '', !token ? 'token' : ''].filter(Boolean).join(' and ');
    throw new ConfigError(
      `${system}: ${missing} must be set (settings.url / settings.token, or ${prefix}_ADDRESS or ${prefix}_URL / ${prefix}_TOKEN)`,
    );
  }
  if (urlEnv && settings.url && settings.url !== urlEnv.value) {
    logger.info(`${system}: using the url from ${urlEnv.name} instead of settings.url`, { env: urlEnv.name });
  }
  if (tokenEnv && settings.token) {
    logger.debug(`${system}: using the token from ${tokenEnv.name} instead of settings.token`, { env: tokenEnv.name });
  }
  const baseUrl = parseBaseUrl(system, rawUrl, urlEnv ? urlEnv.name : 'settings.url');
  return { baseUrl, token };
}
