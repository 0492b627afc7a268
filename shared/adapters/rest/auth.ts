// Request headers per `auth_method`, as infrahub-sync's RestApiClient sends them
// (token: Peering Manager, Device42; x-auth-token: LibreNMS; api-key: PeeringDB; key: RIPE;
// basic: Observium, Device42). `bearer` is an addition.
import { ConfigError } from '../../errors.js';
import type { AuthMethod } from './settings.js';

export interface Credentials {
  token?: string;
  username?: string;
  password?: string;
}

export interface AuthHeaders {
  headers: Record<string, string>;
  /** Values to scrub from messages. */
  secrets: string[];
}

export function authHeaders(system: string, method: AuthMethod, c: Credentials): AuthHeaders {
  const needToken = (): string => {
    if (!c.token) throw new ConfigError(`${system}: auth_method "${method}" needs a token (settings.token or TOKEN)`);
    return c.token;
  };
  switch (method) {
    case 'token':
      return { headers: { authorization: `Token ${needToken()}` }, secrets: [needToken()] };
    case 'x-auth-token':
      return { headers: { 'x-auth-token': needToken() }, secrets: [needToken()] };
    case 'api-key':
      return { headers: { authorization: `Api-Key ${needToken()}` }, secrets: [needToken()] };
    case 'key':
      return { headers: { authorization: `Key ${needToken()}` }, secrets: [needToken()] };
    case 'bearer':
      return { headers: { authorization: `Bearer ${needToken()}` }, secrets: [needToken()] };
    case 'basic': {
      if (!c.username || !c.password) {
        throw new ConfigError(`${system}: auth_method "basic" needs both username and password`);
      }
      const encoded = Buffer.from(`${c.username}:${c.password}`).toString('base64');
      return { headers: { authorization: `Basic ${encoded}` }, secrets: [c.password, encoded] };
    }
    case 'none':
      return { headers: {}, secrets: [] };
  }
}
