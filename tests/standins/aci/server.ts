// Cisco APIC stand-in (a test double): the REST API's session and class queries as APIC 5.2
// answers them.
// - POST /api/aaaLogin.json `{aaaUser: {attributes: {name, pwd}}}` -> `imdata[0].aaaLogin`
//   with the token and refreshTimeoutSeconds, and the token as the `APIC-cookie` cookie; a wrong
//   password is 401 "Username or password is incorrect - FAILED local authentication".
// - GET /api/aaaRefresh.json with the cookie: a new token, the same way.
// - Every other request needs a live APIC-cookie: none is 403 "Need a valid webtoken cookie
//   (named APIC-Cookie) or a signed request with signature in the cookie."; an expired one 403
//   "Token was invalid (Error: Token timeout)". A token lives refreshTimeoutSeconds from its
//   login or refresh.
// - GET /api/class/<class>.json (and /api/node/class/...): `{totalCount, imdata}` (totalCount
//   a string), paged by `page` (from 0) and `page-size`; query-target-filter with eq, ne, wcard,
//   and, or; an unpaged query over `maxResultSize` objects is refused with 400 "Unable to process
//   the query, result dataset is too big" (what acitoolkit pages around).
// Errors are `{totalCount: "1", imdata: [{error: {attributes: {code, text}}}]}`.
// Sources: tests/standins/aci/README.md.
import { randomBytes } from 'node:crypto';
import { renderAci } from '../dataset/render-aci.js';
import { readBody, startRestServer, type Reply } from '../rest-common/http-server.js';
import { loadSource, type SourceRow } from '../rest-common/source-dataset.js';
import type { SourceStandin, SourceStandinOptions } from '../rest-common/standin-types.js';
import { credentialsOf } from '../rest-common/table-standin.js';
import { watchDataset } from '../rest-common/watched-dataset.js';

export interface AciStandinOptions extends SourceStandinOptions {
  /** Seconds a token lives without a refresh (APIC's default is 600). */
  refreshTimeoutSeconds?: number;
  /** Objects an unpaged class query may return before APIC refuses it. */
  maxResultSize?: number;
  /** Clock, for tests that let tokens expire. */
  now?: () => number;
}

export interface AciStandin extends SourceStandin {
  /** Logins, refreshes and refusals so far. */
  sessions: { logins: number; refreshes: number; expired: number };
  /** Ends every session at once, as an APIC failover would. */
  dropSessions(): void;
}

const apicError = (status: number, text: string): Reply => ({
  status,
  body: { totalCount: '1', imdata: [{ error: { attributes: { code: String(status), text } } }] },
});

type Filter = (attrs: Record<string, string>) => boolean;

/** query-target-filter: eq(cls.attr,"v"), ne(...), wcard(...), and(...), or(...). */
export function parseFilter(text: string): Filter {
  let i = 0;
  const expr = (): Filter => {
    const m = /^\s*(eq|ne|wcard|and|or|not)\(/.exec(text.slice(i));
    if (!m) throw new Error(`unsupported filter at ${i}: ${text.slice(i, i + 20)}`);
    i += m[0].length;
    const op = m[1];
    if (op === 'and' || op === 'or' || op === 'not') {
      const parts: Filter[] = [expr()];
      while (text[i] === ',') {
        i++;
        parts.push(expr());
      }
      if (text[i++] !== ')') throw new Error('expected )');
      if (op === 'not') return (a) => !parts[0]!(a);
      return op === 'and' ? (a) => parts.every((p) => p(a)) : (a) => parts.some((p) => p(a));
    }
    const arg = /^\s*([A-Za-z0-9]+)\.([A-Za-z0-9]+)\s*,\s*"((?:[^"\\]|\\.)*)"\s*\)/.exec(text.slice(i));
    if (!arg) throw new Error(`bad ${op} arguments`);
    i += arg[0].length;
    const [, , attr = '', value = ''] = arg;
    if (op === 'eq') return (a) => a[attr] === value;
    if (op === 'ne') return (a) => a[attr] !== value;
    const re = new RegExp(value);
    return (a) => re.test(a[attr] ?? '');
  };
  const f = expr();
  if (text.slice(i).trim() !== '') throw new Error('trailing text');
  return f;
}

export async function startAciStandin(opts: AciStandinOptions): Promise<AciStandin> {
  const dataset = await loadSource(opts.dataset, 'aci', renderAci);
  const creds = credentialsOf(opts.token);
  const lifetime = (opts.refreshTimeoutSeconds ?? 600) * 1000;
  const maxResult = opts.maxResultSize ?? 100_000;
  const now = opts.now ?? Date.now;
  const tokens = new Map<string, number>();
  const sessions = { logins: 0, refreshes: 0, expired: 0 };

  const issue = (): Reply => {
    const token = randomBytes(24).toString('base64url');
    tokens.set(token, now() + lifetime);
    return {
      status: 200,
      body: {
        totalCount: '1',
        imdata: [{
          aaaLogin: {
            attributes: {
              token, siteFingerprint: 'standin', refreshTimeoutSeconds: String(lifetime / 1000), maximumLifetimeSeconds: '86400',
              guiIdleTimeoutSeconds: '1200', restTimeoutSeconds: '90', creationTime: String(Math.floor(now() / 1000)),
              firstLoginTime: String(Math.floor(now() / 1000)), userName: creds.username, remoteUser: 'false', unixUserId: '15374',
              sessionId: randomBytes(8).toString('base64'), lastName: '', firstName: '', version: '5.2(8h)', buildTime: 'standin',
              node: 'topology/pod-1/node-1',
            },
            children: [{ aaaUserDomain: { attributes: { name: 'all', rolesR: 'admin', rolesW: 'admin' }, children: [] } }],
          },
        }],
      },
      headers: { 'Set-Cookie': `APIC-cookie=${token}; path=/; HttpOnly` },
    };
  };

  const session = (cookie: string | undefined): Reply | string => {
    const token = /APIC-cookie=([^;\s]+)/i.exec(cookie ?? '')?.[1];
    if (!token) return apicError(403, 'Need a valid webtoken cookie (named APIC-Cookie) or a signed request with signature in the cookie.');
    const until = tokens.get(token);
    if (until === undefined || until <= now()) {
      sessions.expired++;
      tokens.delete(token);
      return apicError(403, 'Token was invalid (Error: Token timeout)');
    }
    return token;
  };

  const classQuery = (cls: string, q: URLSearchParams): Reply => {
    const rows: SourceRow[] = dataset.tables[cls] ?? [];
    let items = rows.map(({ id: _id, ...obj }) => obj);
    const filter = q.get('query-target-filter');
    if (filter) {
      let f: Filter;
      try {
        f = parseFilter(filter);
      } catch (e) {
        return apicError(400, `Invalid filter: ${e instanceof Error ? e.message : String(e)}`);
      }
      items = items.filter((o) => f((o[cls] as { attributes: Record<string, string> }).attributes));
    }
    const sizeText = q.get('page-size');
    if (sizeText === null) {
      if (items.length > maxResult) return apicError(400, 'Unable to process the query, result dataset is too big');
      return { status: 200, body: { totalCount: String(items.length), imdata: items } };
    }
    const size = Number(sizeText);
    const page = Number(q.get('page') ?? '0');
    if (!Number.isInteger(size) || size <= 0 || !Number.isInteger(page) || page < 0) return apicError(400, 'Invalid page or page-size');
    return { status: 200, body: { totalCount: String(items.length), imdata: items.slice(page * size, page * size + size) } };
  };

  const server = await startRestServer(opts, async ({ req, url }) => {
    const path = url.pathname;
    if (path === '/api/aaaLogin.json') {
      if (req.method !== 'POST') return apicError(400, 'Request method GET is not supported for aaaLogin');
      let body: { aaaUser?: { attributes?: { name?: string; pwd?: string } } };
      try {
        body = JSON.parse(await readBody(req)) as typeof body;
      } catch {
        return apicError(400, 'Failed to parse the request body');
      }
      const a = body.aaaUser?.attributes;
      if (a?.name !== creds.username || a?.pwd !== creds.password) return apicError(401, 'Username or password is incorrect - FAILED local authentication');
      sessions.logins++;
      return issue();
    }
    const s = session(req.headers.cookie);
    if (typeof s !== 'string') return s;
    if (path === '/api/aaaRefresh.json') {
      sessions.refreshes++;
      return issue();
    }
    const m = /^\/api\/(?:node\/)?class\/([A-Za-z0-9]+)\.json$/.exec(path);
    if (m && req.method === 'GET') return classQuery(m[1] as string, url.searchParams);
    if (m) return apicError(400, `Request method ${req.method ?? ''} is not supported for a class query in this stand-in`);
    return apicError(400, `Unable to find the requested resource: ${path}`);
  });
  return {
    ...server,
    dataset: watchDataset(dataset, () => undefined),
    invalidate: () => undefined,
    sessions,
    dropSessions: () => tokens.clear(),
  };
}
