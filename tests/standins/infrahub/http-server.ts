import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Kind, parse } from 'graphql';
import type { Socket } from 'node:net';
import { FaultPlan } from './faults.js';
import { runGraphql } from './graphql-endpoint.js';
import { renderSchema, type SchemaDocuments } from './schema-api.js';
import type { SchemaRegistry } from './schema-registry.js';
import type { RawSchemaRoot } from './schema-types.js';
import { DEFAULT_BRANCH, type StandinState } from './standin-state.js';

/** The Infrahub release whose recorded behaviour this stand-in follows (tests/fixtures/infrahub-real). */
export const INFRAHUB_VERSION = '1.11.9';
const MAX_BODY_BYTES = 64 * 1024 * 1024;

export interface Counters {
  requests: number;
  graphql: number;
  queries: number;
  mutations: number;
  faults: number;
  /** Mutation requests processed whose response was then dropped. */
  lostResponses: number;
  byOperation: Record<string, number>;
}

export function emptyCounters(): Counters {
  return { requests: 0, graphql: 0, queries: 0, mutations: 0, faults: 0, lostResponses: 0, byOperation: {} };
}

export interface ServerOptions {
  token: string;
  latencyMs: number;
  /** Per mutation of a mutation request, waited before it is processed. */
  mutationMs: number;
  faults: FaultPlan;
  counters: () => Counters;
}

class BodyError extends Error {}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) reject(new BodyError('request body too large'));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** The REST 401 body Infrahub answers with (integer code, recorded as rest_legacy_401). */
function restUnauthorized(message: string): unknown {
  return { data: null, errors: [{ message, extensions: { code: 401 } }] };
}

function branchMissing(name: string): unknown {
  return { data: null, errors: [{ message: `Branch: ${name} not found.`, extensions: { code: 'BRANCH_NOT_FOUND', http_status: 404, data: { branch_name: name } } }] };
}

function count(counters: Counters, key: string): void {
  counters.byOperation[key] = (counters.byOperation[key] ?? 0) + 1;
}

/** Top-level fields of a mutation request (0 for anything else or a document that does not parse). */
function mutationCount(body: unknown): number {
  const query = (body as { query?: unknown }).query;
  if (typeof query !== 'string' || !/^\s*mutation\b/.test(query)) return 0;
  try {
    const op = parse(query).definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
    return op && op.kind === Kind.OPERATION_DEFINITION ? op.selectionSet.selections.length : 0;
  } catch {
    return 0;
  }
}

/** Builds the HTTP server; routing, auth, latency and faults live here, the API logic elsewhere. */
export function createStandinServer(state: StandinState, opts: ServerOptions): { server: Server; sockets: Set<Socket> } {
  let docs: { registry: SchemaRegistry; docs: SchemaDocuments } | null = null;
  const schemaDocs = (): SchemaDocuments => {
    if (!docs || docs.registry !== state.registry) docs = { registry: state.registry, docs: renderSchema(state.registry) };
    return docs.docs;
  };
  const sockets = new Set<Socket>();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const counters = opts.counters();
    counters.requests++;
    if (opts.latencyMs > 0) await new Promise((r) => setTimeout(r, opts.latencyMs));
    const fault = opts.faults.draw();
    if (fault !== 'none') {
      counters.faults++;
      if (fault === 'dropped') {
        req.socket.destroy();
        return;
      }
      if (fault === 'rate-limited') {
        send(res, 429, { errors: [{ message: 'Too Many Requests' }] }, { 'retry-after': '1' });
        return;
      }
      send(res, 500, { errors: [{ message: 'Internal Server Error' }] });
      return;
    }

    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const key = req.headers['x-infrahub-key'];
    const providedKey = Array.isArray(key) ? key[0] : key;
    if (providedKey !== undefined && providedKey !== opts.token) {
      send(res, 401, restUnauthorized('Invalid token'));
      return;
    }
    const authenticated = providedKey === opts.token;
    const path = url.pathname.replace(/\/+$/, '') || '/';

    const graphqlMatch = /^\/graphql(?:\/(.+))?$/.exec(path);
    if (graphqlMatch) {
      if (req.method !== 'POST') {
        send(res, 405, { detail: 'Method Not Allowed' }, { allow: 'POST' });
        return;
      }
      counters.graphql++;
      const branchName = graphqlMatch[1] ? decodeURIComponent(graphqlMatch[1]) : DEFAULT_BRANCH;
      const store = state.branches.get(branchName);
      if (!store) {
        send(res, 404, branchMissing(branchName));
        return;
      }
      let body: unknown;
      try {
        body = JSON.parse(await readBody(req));
      } catch (err) {
        send(res, 400, { errors: [err instanceof BodyError ? err.message : 'Unable to parse the request body as JSON'] });
        return;
      }
      if (body === null || typeof body !== 'object') {
        send(res, 400, { errors: ['No GraphQL query found in the request'] });
        return;
      }
      if (opts.mutationMs > 0) {
        const n = mutationCount(body);
        if (n > 0) await new Promise((r) => setTimeout(r, n * opts.mutationMs));
      }
      const outcome = runGraphql(state, store, body as Record<string, unknown>, authenticated, INFRAHUB_VERSION);
      if (outcome.operation === 'mutation') counters.mutations++;
      else if (outcome.operation === 'query') counters.queries++;
      for (const f of outcome.fields) count(counters, f);
      if (outcome.operation === 'mutation' && opts.faults.loseResponse()) {
        // Written, then the answer never arrives: the client cannot tell this from a refusal.
        counters.lostResponses++;
        req.socket.destroy();
        return;
      }
      send(res, outcome.status, outcome.body);
      return;
    }

    count(counters, `${req.method} ${path}`);
    const branchName = url.searchParams.get('branch') ?? DEFAULT_BRANCH;
    if (path.startsWith('/api/schema') && !state.branches.has(branchName)) {
      send(res, 404, branchMissing(branchName));
      return;
    }
    if (req.method === 'GET' && path === '/api/schema') {
      send(res, 200, schemaDocs().full);
      return;
    }
    if (req.method === 'GET' && path === '/api/schema/summary') {
      send(res, 200, schemaDocs().summary);
      return;
    }
    if (req.method === 'POST' && path === '/api/schema/load') {
      if (!authenticated) {
        send(res, 401, restUnauthorized('Authentication is required'));
        return;
      }
      let payload: { schemas?: RawSchemaRoot[] };
      try {
        payload = JSON.parse(await readBody(req)) as { schemas?: RawSchemaRoot[] };
      } catch {
        send(res, 422, { detail: [{ type: 'json_invalid', loc: ['body'], msg: 'JSON decode error' }] });
        return;
      }
      if (!Array.isArray(payload?.schemas)) {
        send(res, 422, { detail: [{ type: 'missing', loc: ['body', 'schemas'], msg: 'Field required' }] });
        return;
      }
      const before = schemaDocs().summary.main;
      try {
        state.loadSchemas(payload.schemas);
      } catch (err) {
        send(res, 422, { data: null, errors: [{ message: (err as Error).message, extensions: { code: 422 } }] });
        return;
      }
      const after = schemaDocs().summary.main;
      send(res, 200, { hash: after, previous_hash: before, diff: { added: {}, changed: {}, removed: {} }, schema_updated: after !== before });
      return;
    }
    const kindMatch = /^\/api\/schema\/([A-Za-z0-9]+)$/.exec(path);
    if (req.method === 'GET' && kindMatch) {
      const doc = schemaDocs().byKind.get(kindMatch[1] as string);
      if (doc) send(res, 200, doc);
      else send(res, 422, { data: null, errors: [{ message: `Unable to find the schema ${kindMatch[1]} in the database.`, extensions: { code: 422 } }] });
      return;
    }
    if (req.method === 'GET' && path === '/api/info') {
      send(res, 200, { deployment_id: 'infrahub-standin', version: INFRAHUB_VERSION });
      return;
    }
    if (req.method === 'GET' && path === '/api/config') {
      send(res, 200, {
        main: { docs_index_path: '/opt/infrahub/docs/build/search-index.json', allow_anonymous_access: true, telemetry_optout: true, telemetry_endpoint: '', telemetry_interval: 86400, permission_backends: [] },
        logging: { remote: { enable: false, frontend_dsn: null, api_server_dsn: null, git_agent_dsn: null } },
        analytics: { enable: false, address: null, api_key: null },
        experimental_features: { graphql_enums: false },
        sso: { providers: [], enabled: false },
      });
      return;
    }
    send(res, 404, { detail: 'Not Found' });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, { errors: [{ message: `stand-in failure: ${(err as Error).message}` }] });
      else res.destroy();
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return { server, sockets };
}
