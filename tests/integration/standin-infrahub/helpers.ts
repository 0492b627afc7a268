import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DEFAULT_TOKEN, startInfrahubStandin, type InfrahubStandin, type InfrahubStandinOptions } from '../../standins/infrahub/index.js';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/infrahub/', import.meta.url));
export const TEST_SCHEMA = `${FIXTURES}standin-test-schema.yml`;
/** Third-party Infrahub schemas (tests/fixtures/infrahub-schema/NOTICE.md). */
export const SCHEMAS = fileURLToPath(new URL('../../fixtures/infrahub-schema/', import.meta.url));

export function fixture<T = unknown>(name: string): T {
  return JSON.parse(readFileSync(`${FIXTURES}${name}`, 'utf8')) as T;
}

export interface GqlResponse {
  status: number;
  body: { data?: Record<string, unknown> | null; errors?: Record<string, unknown>[] };
  headers: Headers;
}

export interface Client {
  standin: InfrahubStandin;
  gql(query: string, variables?: Record<string, unknown>, opts?: { branch?: string; key?: string | null }): Promise<GqlResponse>;
  /** Runs a mutation and returns data, failing the test on any GraphQL error. */
  ok<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, branch?: string): Promise<T>;
}

export async function startClient(opts: Partial<InfrahubStandinOptions> = {}): Promise<Client> {
  const standin = await startInfrahubStandin({ schema: TEST_SCHEMA, ...opts });
  const gql: Client['gql'] = async (query, variables, o = {}) => {
    const key = o.key === undefined ? DEFAULT_TOKEN : o.key;
    const res = await fetch(`${standin.url}/graphql${o.branch ? `/${o.branch}` : ''}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { 'x-infrahub-key': key } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return { status: res.status, body: (await res.json()) as GqlResponse['body'], headers: res.headers };
  };
  return {
    standin,
    gql,
    async ok(query, variables, branch) {
      const r = await gql(query, variables, { branch });
      if (r.status !== 200 || r.body.errors) throw new Error(`unexpected errors: ${r.status} ${JSON.stringify(r.body.errors)}`);
      return r.body.data as never;
    },
  };
}

/** The nested key structure of a JSON value (arrays reduced to their first element). */
export function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.length === 0 ? [] : [shape(value[0])];
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, shape((value as Record<string, unknown>)[k])]));
  }
  return typeof value;
}
