// Every sync checks itself: once the plan is applied, the records it wrote are read back from the
// destination (by node id where the results give one, else the whole model), and the diff is made
// again from the run's own source snapshots. A change that did not stick (a value the destination
// did not keep, a create that landed on another record, a delete that left the record) shows up
// again, and is reported per record and field as not converged.
import type { Adapter, RawRecord } from '../../adapters/types.js';
import type { LoadedConfig } from '../../config/types.js';
import type { ModelWriteSpec } from '../../adapters/types.js';
import type { Change, ChangeResult, ModelFacts, Plan, Value } from '../../diff/types.js';
import { loadModelSide } from './load.js';
import { planRun } from './plan.js';
import type { NotConverged, RawSnapshot, VerifyReport } from './types.js';

interface Touched {
  ids: Set<string>;
  /** Some applied change of the model has no node id: re-read the whole model. */
  whole: boolean;
}

/** The models and node ids this run's applied changes wrote. */
function touchedModels(plan: Plan, results: readonly ChangeResult[]): Map<string, Touched> {
  const changes = new Map<string, Change>();
  for (const stage of plan.stages) for (const c of stage.changes) changes.set(c.id, c);
  const out = new Map<string, Touched>();
  for (const r of results) {
    if (r.status !== 'applied') continue;
    const t = out.get(r.model) ?? { ids: new Set<string>(), whole: false };
    const id = r.destinationId ?? changes.get(r.changeId)?.destinationId;
    if (id) t.ids.add(id);
    else t.whole = true;
    out.set(r.model, t);
  }
  return out;
}

/** The models this run wrote, with every model they reference (transitively, by the run's own
 *  write specs, implied references included): all the verify has to normalise again, since a
 *  model's keys depend only on the models it references. */
export function neededModels(plan: Plan, results: readonly ChangeResult[], specs: Record<string, ModelWriteSpec>): Set<string> {
  const needed = new Set(touchedModels(plan, results).keys());
  const todo = [...needed];
  for (let m = todo.pop(); m !== undefined; m = todo.pop()) {
    for (const peer of Object.values(specs[m]?.references ?? {})) {
      if (!needed.has(peer)) {
        needed.add(peer);
        todo.push(peer);
      }
    }
  }
  return needed;
}

function fieldsOf(c: Change): NotConverged['fields'] {
  if (c.action === 'create') return Object.entries({ ...c.ids, ...c.attrs }).map(([name, expected]) => ({ name, expected, actual: null }));
  if (c.action === 'delete') return [];
  return Object.entries(c.attrs).map(([name, expected]) => ({ name, expected, actual: (c.previous?.[name] ?? null) as Value }));
}

const WHY: Record<Change['action'], string> = {
  create: 'not in the destination after it was created',
  update: 'the destination holds other values than those written',
  delete: 'still in the destination after it was deleted',
};

/**
 * Reads back what the run wrote and diffs again. `snapshots` are the run's raw snapshots (both
 * sides, as the diff step had them); they are not changed. A failure to read back is reported as
 * the verify's error (and the run as not converged), never thrown.
 */
export async function verifyRun(
  adapter: Adapter,
  loaded: LoadedConfig,
  plan: Plan,
  results: readonly ChangeResult[],
  snapshots: readonly RawSnapshot[],
  /** Narrows the second plan as the run's was (a webhook-scoped run: its models, maybe no deletes). */
  narrow: (plan: Plan) => Plan = (p) => p,
  /** The models to plan again (see neededModels) and the destination facts of all, when
   *  `snapshots` holds only those models'. */
  planOptions: { only?: ReadonlySet<string>; facts?: Record<string, ModelFacts> } = {},
): Promise<VerifyReport> {
  const started = Date.now();
  const touched = touchedModels(plan, results);
  if (touched.size === 0) return { converged: true, checked: 0, notConverged: [], ms: 0 };
  let checked = 0;
  try {
    // The touched models are read back side by side, as the run's loads are.
    const patched: RawSnapshot[] = await Promise.all(
      snapshots.map(async (snap) => {
        const t = snap.side === 'destination' ? touched.get(snap.model) : undefined;
        if (!t) return { ...snap, raws: snap.raws.map((list) => [...list]) };
        // Most of the model written (a first sync): reading it whole costs less than by id.
        const whole = t.whole || t.ids.size > (snap.raws[0]?.length ?? 0);
        const fresh = await loadModelSide(adapter, loaded, snap.model, 'destination', whole ? {} : { destinationIds: [...t.ids] });
        // An adapter that cannot read by id answers with more; only the asked ids are read back.
        const reread = whole ? (fresh.raws[0] ?? []) : (fresh.raws[0] ?? []).filter((r: RawRecord) => t.ids.has(String(r.id)));
        checked += reread.length;
        // Read back by id, a deleted node is simply absent: drop every touched id, add what is there.
        const raws = whole ? [reread] : [[...(snap.raws[0] ?? []).filter((r: RawRecord) => !t.ids.has(String(r.id))), ...reread]];
        return { ...snap, raws };
      }),
    );
    const again = { plan: narrow(planRun(loaded, `${plan.runId}-verify`, patched, { force: true, ...planOptions }).plan) };
    const settled = new Set(results.filter((r) => r.status !== 'applied').map((r) => `${r.model}\u0000${r.key}`));
    const notConverged: NotConverged[] = [];
    for (const stage of again.plan.stages) {
      for (const c of stage.changes) {
        if (!touched.has(c.model) || settled.has(`${c.model}\u0000${c.key}`)) continue;
        notConverged.push({ model: c.model, key: c.key, action: c.action, message: WHY[c.action], fields: fieldsOf(c) });
      }
    }
    return { converged: notConverged.length === 0, checked, notConverged, ms: Date.now() - started };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { converged: false, checked, notConverged: [], ms: Date.now() - started, error: `could not check what was written: ${message}` };
  }
}
