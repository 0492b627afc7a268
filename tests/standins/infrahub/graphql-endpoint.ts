import { execute, GraphQLError, Kind, parse, validate, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { AUTHENTICATION_REQUIRED_MESSAGE, StandinError } from './errors.js';
import { tryFastQuery } from './fast-query.js';
import type { GraphqlContext } from './graphql-schema.js';
import type { StandinState } from './standin-state.js';
import type { BranchStore } from './store.js';

export interface GraphqlOutcome {
  status: number;
  body: unknown;
  operation?: 'query' | 'mutation';
  /** Top-level field names (not aliases), for counters. */
  fields: string[];
}

interface GraphqlRequest {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

const UNDEFINED_ERROR = { code: 'UNDEFINED_ERROR', http_status: 500, data: {} };

/** graphql-js quotes type names with ", graphql-core (Infrahub's) with ' : a lineage field naming
 *  a node that is no account reads `Runtime Object type 'LocationGeneric' is not a possible type
 *  for 'LineageSource'.` there. */
function asGraphqlCore(message: string): string {
  return message.replace(/^Runtime Object type "(\w+)" is not a possible type for "(\w+)"\.$/, "Runtime Object type '$1' is not a possible type for '$2'.");
}

/** Infrahub puts { code, http_status, data } on every error; ours come from StandinError. */
function formatError(err: GraphQLError): Record<string, unknown> {
  const out: Record<string, unknown> = { message: asGraphqlCore(err.message) };
  if (err.locations) out.locations = err.locations;
  if (err.path) out.path = err.path;
  const original = err.originalError;
  if (original instanceof StandinError) out.extensions = original.extensions;
  else if (err.extensions && Object.keys(err.extensions).length > 0) out.extensions = err.extensions;
  else out.extensions = UNDEFINED_ERROR;
  return out;
}

function pickOperation(doc: DocumentNode, name: unknown): OperationDefinitionNode | undefined {
  const ops = doc.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (typeof name === 'string' && name !== '') return ops.find((o) => o.name?.value === name);
  return ops.length === 1 ? ops[0] : undefined;
}

function topFields(op: OperationDefinitionNode | undefined): { names: string[]; aliases: string[] } {
  const names: string[] = [];
  const aliases: string[] = [];
  for (const sel of op?.selectionSet.selections ?? []) {
    if (sel.kind !== Kind.FIELD) continue;
    names.push(sel.name.value);
    aliases.push(sel.alias?.value ?? sel.name.value);
  }
  return { names, aliases };
}

interface Checked {
  doc?: DocumentNode;
  syntaxError?: GraphQLError;
  errors: readonly GraphQLError[];
}

const CACHE_SIZE = 256;
const checkedCache = new WeakMap<GraphQLSchema, Map<string, Checked>>();

/**
 * Parses and validates a query, remembering the outcome per schema: clients send the same
 * text page after page and batch after batch with only the variables changing.
 */
function parseAndValidate(schema: GraphQLSchema, text: string): Checked {
  let cache = checkedCache.get(schema);
  if (!cache) checkedCache.set(schema, (cache = new Map()));
  const hit = cache.get(text);
  if (hit) return hit;
  let checked: Checked;
  try {
    const doc = parse(text);
    checked = { doc, errors: validate(schema, doc) };
  } catch (err) {
    checked = { syntaxError: err instanceof GraphQLError ? err : new GraphQLError(String(err)), errors: [] };
  }
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  cache.set(text, checked);
  return checked;
}

/** Runs one POST /graphql body against a branch, answering the way Infrahub's endpoint does. */
export function runGraphql(
  state: StandinState,
  store: BranchStore,
  body: GraphqlRequest,
  authenticated: boolean,
  version: string,
  fastPath = true,
): GraphqlOutcome {
  if (Array.isArray(body)) return { status: 400, body: { errors: ['This server does not support batching'] }, fields: [] };
  if (typeof body.query !== 'string' || body.query.trim() === '') {
    return { status: 400, body: { errors: ['No GraphQL query found in the request'] }, fields: [] };
  }
  const checked = parseAndValidate(state.graphqlSchema, body.query);
  if (checked.syntaxError) return { status: 200, body: { data: null, errors: [formatError(checked.syntaxError)] }, fields: [] };
  const doc = checked.doc as DocumentNode;
  const op = pickOperation(doc, body.operationName);
  const operation = op?.operation === 'mutation' ? 'mutation' : op?.operation === 'query' ? 'query' : undefined;
  const { names, aliases } = topFields(op);

  if (operation === 'mutation' && !authenticated) {
    const firstLoc = op?.selectionSet.selections[0]?.loc;
    const error: Record<string, unknown> = {
      message: AUTHENTICATION_REQUIRED_MESSAGE,
      locations: firstLoc ? [{ line: firstLoc.startToken.line, column: firstLoc.startToken.column }] : undefined,
      extensions: { code: 'AUTHENTICATION_REQUIRED', http_status: 401, data: {} },
    };
    if (aliases[0]) error.path = [aliases[0]];
    return { status: 401, body: { data: null, errors: [error] }, operation, fields: names };
  }

  if (checked.errors.length > 0) {
    return { status: 200, body: { data: null, errors: checked.errors.map(formatError) }, operation, fields: names };
  }
  const variables = body.variables && typeof body.variables === 'object' ? (body.variables as Record<string, unknown>) : undefined;
  if (op && operation === 'query' && fastPath) {
    const data = tryFastQuery(state.graphqlSchema, state.registry, store, op, variables);
    if (data) return { status: 200, body: { data }, operation, fields: names };
  }
  const context: GraphqlContext = {
    store,
    version,
    branches: {
      list: () => state.listBranches(),
      create: (input) => state.createBranch(input),
      delete: (name) => state.deleteBranch(name),
      share: (id) => state.shareAgnostic(store, id),
    },
  };
  const result = execute({
    schema: state.graphqlSchema,
    document: doc,
    contextValue: context,
    variableValues: variables,
    operationName: typeof body.operationName === 'string' && body.operationName !== '' ? body.operationName : undefined,
  });
  if (result instanceof Promise) throw new Error('resolvers are synchronous; a promise here is a stand-in bug');
  const failed = result.errors && result.errors.length > 0;
  // The recorded envelopes carry data: null when the only fields asked for all failed.
  // A failed mutation leaves its (nullable) field null in `data`, as graphql-core answers and a real
  // Infrahub 1.11.9 does (`{"data": {"InfraInterfaceL2L3Create": null}, "errors": [...]}`); the
  // recorded catalogue envelopes of queries carry `data: null`.
  const allNull = operation !== 'mutation' && (!result.data || Object.values(result.data).every((v) => v === null));
  const out: Record<string, unknown> = { data: failed && allNull ? null : (result.data ?? null) };
  if (failed) out.errors = result.errors?.map(formatError);
  return { status: 200, body: out, operation, fields: names };
}
