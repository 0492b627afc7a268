// Model order: which models are synced and in which tiers. A tier is a set of models none of
// which references another of the same tier, so a tier's changes may be applied in parallel.
import type { SyncConfig } from '../config/types.js';
import { ConfigError } from '../errors.js';

/** Mapped model names, in the order of their first schema_mapping entry. */
export function mappedModels(config: SyncConfig): string[] {
  return [...new Set(config.schema_mapping.map((e) => e.name))];
}

/**
 * For every mapped model, the other mapped models it references. Several schema_mapping entries
 * may share a name; their references add up. A reference to an unmapped kind points at nodes
 * that already exist in the destination and does not constrain the order.
 */
export function modelReferences(config: SyncConfig): Map<string, Set<string>> {
  const mapped = new Set(mappedModels(config));
  const refs = new Map<string, Set<string>>();
  for (const name of mapped) refs.set(name, new Set());
  for (const entry of config.schema_mapping) {
    const own = refs.get(entry.name) as Set<string>;
    for (const field of entry.fields) {
      if (field.reference && field.reference !== entry.name && mapped.has(field.reference)) {
        own.add(field.reference);
      }
    }
  }
  return refs;
}

const selfRefCache = new WeakMap<SyncConfig, Map<string, string[]>>();

/** Names of the fields through which a model references itself (e.g. a location's parent).
 *  Computed for every model in one pass per config (a pass per model is quadratic). */
export function selfReferenceFields(config: SyncConfig, model: string): string[] {
  let all = selfRefCache.get(config);
  if (!all) {
    const sets = new Map<string, Set<string>>();
    for (const entry of config.schema_mapping) {
      for (const field of entry.fields) {
        if (field.reference !== entry.name) continue;
        const set = sets.get(entry.name) ?? new Set<string>();
        set.add(field.name);
        sets.set(entry.name, set);
      }
    }
    all = new Map([...sets].map(([m, fields]) => [m, [...fields]]));
    selfRefCache.set(config, all);
  }
  return [...(all.get(model) ?? [])];
}

/**
 * Tiers of models to sync, referenced models first.
 *
 * With `order`: the models in that order; consecutive models with no reference between them
 * share a tier. Like infrahub-sync (which loads and diffs only `order`'s models), a mapped model
 * missing from `order` is not synced; unlike it, we say so through `onWarning`.
 *
 * Without `order`: tiers from the references (Kahn's algorithm); a reference cycle between
 * models is a ConfigError naming them.
 *
 * A model that references itself (LocationGeneric.parent) is no cycle here; its creates need
 * parent-first order within the model, which the plan provides (see plan.ts).
 */
export function resolveOrder(config: SyncConfig, onWarning: (message: string) => void = () => {}): string[][] {
  const refs = modelReferences(config);
  return config.order.length > 0 ? tiersFromOrder(config, refs, onWarning) : tiersFromReferences(refs);
}

function tiersFromOrder(
  config: SyncConfig,
  refs: Map<string, Set<string>>,
  onWarning: (message: string) => void,
): string[][] {
  const unknown = config.order.filter((m) => !refs.has(m));
  if (unknown.length > 0) {
    throw new ConfigError(
      `order names model(s) with no schema_mapping entry: ${[...new Set(unknown)].join(', ')}`,
      { path: 'order' },
    );
  }
  const ordered: string[] = [];
  const position = new Map<string, number>();
  for (const model of config.order) {
    if (position.has(model)) {
      onWarning(`order lists ${model} more than once; it is synced once, at its first position`);
      continue;
    }
    position.set(model, ordered.length);
    ordered.push(model);
  }
  const missing = [...refs.keys()].filter((m) => !position.has(m));
  if (missing.length > 0) {
    onWarning(
      `mapped model(s) not in order are not synced (as in infrahub-sync): ${missing.join(', ')}`,
    );
  }
  for (const [i, model] of ordered.entries()) {
    for (const target of refs.get(model) ?? []) {
      const at = position.get(target) ?? -1;
      if (at > i) {
        onWarning(`${model} references ${target}, which comes later in order; its creates may fail`);
      }
    }
  }

  // A model starts a new tier when it references a member of the current tier or a member
  // references it; both are checked through the model's own references, not every member.
  const referencedBy = new Map<string, string[]>();
  for (const [model, targets] of refs) {
    for (const t of targets) {
      const list = referencedBy.get(t);
      if (list) list.push(model);
      else referencedBy.set(t, [model]);
    }
  }
  const tiers: string[][] = [];
  let tier: string[] = [];
  let members = new Set<string>();
  for (const model of ordered) {
    const own = refs.get(model) as Set<string>;
    const related = [...own].some((t) => members.has(t)) || (referencedBy.get(model) ?? []).some((r) => members.has(r));
    if (related) {
      tiers.push(tier);
      tier = [];
      members = new Set();
    }
    tier.push(model);
    members.add(model);
  }
  if (tier.length > 0) tiers.push(tier);
  return tiers;
}

function tiersFromReferences(refs: Map<string, Set<string>>): string[][] {
  const pending = new Map<string, number>();
  const dependants = new Map<string, string[]>();
  for (const [model, targets] of refs) {
    pending.set(model, targets.size);
    for (const target of targets) {
      const list = dependants.get(target) ?? [];
      list.push(model);
      dependants.set(target, list);
    }
  }
  const tiers: string[][] = [];
  // Tier members keep schema_mapping order so the result does not depend on Map internals.
  const position = new Map([...refs.keys()].map((m, i) => [m, i]));
  let ready = [...refs.keys()].filter((m) => pending.get(m) === 0);
  let placed = 0;
  while (ready.length > 0) {
    tiers.push(ready);
    placed += ready.length;
    const next = new Set<string>();
    for (const model of ready) {
      for (const dependant of dependants.get(model) ?? []) {
        const left = (pending.get(dependant) as number) - 1;
        pending.set(dependant, left);
        if (left === 0) next.add(dependant);
      }
    }
    ready = [...next].sort((a, b) => (position.get(a) as number) - (position.get(b) as number));
  }
  if (placed < refs.size) {
    const cycle = findCycle(refs, new Set([...pending].filter(([, n]) => n > 0).map(([m]) => m)));
    throw new ConfigError(
      `reference cycle between models: ${cycle.join(' -> ')}; set "order" to break it`,
      { path: 'schema_mapping' },
      cycle.slice(0, -1),
    );
  }
  return tiers;
}

/** One cycle among `left` (models Kahn could not place), as a closed path A -> B -> A. */
function findCycle(refs: Map<string, Set<string>>, left: Set<string>): string[] {
  // Every unplaced model still waits on an unplaced model, so walking "references" from any of
  // them must revisit a model; the walk from its first visit is the cycle.
  const start = [...left][0] as string;
  const path: string[] = [];
  const at = new Map<string, number>();
  let current = start;
  while (!at.has(current)) {
    at.set(current, path.length);
    path.push(current);
    const next = [...(refs.get(current) ?? [])].find((t) => left.has(t));
    if (next === undefined) break;
    current = next;
  }
  const from = at.get(current) ?? 0;
  return [...path.slice(from), current];
}
