// Lineage as infrahub-sync 2.0.1 writes it: every attribute and relationship a create or update
// sends carries `source` and `owner` (node ids of an account or account group) and
// `is_protected: true`, so Infrahub shows where a value came from and guards it against hand
// edits. By default both name the CoreAccount called after the config's source adapter
// (`nautobot`, `netbox`...); destination `settings.source` / `settings.owner` name an account
// group (or an account) instead. Infrahub stores any id it is given without checking it (an
// unknown one reads back as nothing), so the names are resolved here, once, before anything is
// written.
import { ConfigError } from '../../errors.js';
import type { Logger } from '../../log.js';
import type { InfrahubClient } from './client.js';
import type { InfrahubSchema } from './schema.js';

/** Node ids written as source and owner; either may be absent (the default account does not exist). */
export interface WriteLineage {
  source?: string;
  owner?: string;
}

export interface LineageNames {
  /** settings.source / settings.owner: an account group, else an account, of that name. */
  source?: string;
  owner?: string;
  /** The default account's name: the config's source adapter (destination side only). */
  defaultAccount?: string;
}

type Lookup = Record<string, { edges: { node: { id: string } }[] } | undefined>;

/** Resolves the names to node ids in one query; an explicitly named one that is missing is a config error. */
export async function resolveLineage(client: InfrahubClient, schema: InfrahubSchema, branch: string, names: LineageNames, logger: Logger): Promise<WriteLineage> {
  const explicit = [names.source, names.owner].filter((n): n is string => !!n);
  const wanted = [...new Set([...explicit, ...(names.defaultAccount && (!names.source || !names.owner) ? [names.defaultAccount] : [])])];
  if (wanted.length === 0) return {};
  const kinds = ['CoreAccountGroup', 'CoreAccount'].filter((k) => schema.has(k));
  const vars: string[] = [];
  const fields: string[] = [];
  const variables: Record<string, string> = {};
  wanted.forEach((name, i) => {
    vars.push(`$n${i}: String`);
    variables[`n${i}`] = name;
    for (const kind of kinds) fields.push(`${kind === 'CoreAccount' ? 'a' : 'g'}${i}: ${kind}(name__value: $n${i}) { edges { node { id } } }`);
  });
  const found: Lookup = kinds.length === 0 ? {} : await client.query<Lookup>(`query Lineage(${vars.join(', ')}) {\n  ${fields.join('\n  ')}\n}`, variables, branch);
  const idOf = (name: string, groups: boolean): string | undefined => {
    const i = wanted.indexOf(name);
    const group = groups ? found[`g${i}`]?.edges[0]?.node.id : undefined;
    return group ?? found[`a${i}`]?.edges[0]?.node.id;
  };
  const explicitId = (setting: 'source' | 'owner'): string | undefined => {
    const name = names[setting];
    if (!name) return undefined;
    const id = idOf(name, true);
    if (id) return id;
    throw new ConfigError(
      `infrahub: settings.${setting} is "${name}", but Infrahub has no CoreAccountGroup or CoreAccount of that name; ` +
        `create it in Infrahub, or remove settings.${setting} to record ${names.defaultAccount ? `the source adapter's account "${names.defaultAccount}"` : 'no account'}`,
    );
  };
  const source = explicitId('source');
  const owner = explicitId('owner');
  const fallback = names.defaultAccount && (!source || !owner) ? idOf(names.defaultAccount, false) : undefined;
  if (names.defaultAccount && (!source || !owner) && !fallback) {
    logger.warn(
      `infrahub: no CoreAccount named "${names.defaultAccount}" (the source adapter's name): written values are protected but name no source or owner; ` +
        `create that account, or name an account group in the destination's settings.source / settings.owner`,
    );
  }
  return { ...((source ?? fallback) ? { source: source ?? fallback } : {}), ...((owner ?? fallback) ? { owner: owner ?? fallback } : {}) };
}
