// Mapping warnings as a user reads them: the harmless kind said once per model, a long run of one
// kind cut short, so the warning that matters is not buried under fifty that do not. Every
// individual line stays available as a note (printed with --verbose, logged at info in AWS).
import type { MappingWarning } from '../../mapping/index.js';

export interface SummarisedWarnings {
  warnings: string[];
  notes: string[];
  /** Source ids shared by records of different endpoints (harmless; see sharedIdsWarning). */
  sharedIds: number;
}

/** Beyond this many warnings of one kind (model, field), the rest become notes and one line counts them. */
const SHOWN_PER_KIND = 3;

function messageOf(w: unknown): string {
  if (typeof w === 'string') return w;
  if (w && typeof w === 'object' && 'message' in w) return String((w as { message: unknown }).message);
  return JSON.stringify(w);
}

const isMappingWarning = (w: unknown): w is MappingWarning =>
  typeof w === 'object' && w !== null && 'code' in w && 'model' in w && 'message' in w;

export function summariseMappingWarnings(side: string, model: string, raw: readonly unknown[]): SummarisedWarnings {
  const out: SummarisedWarnings = { warnings: [], notes: [], sharedIds: 0 };
  const groups = new Map<string, MappingWarning[]>();
  for (const w of raw) {
    if (!isMappingWarning(w)) {
      out.warnings.push(`${side}: ${messageOf(w)}`);
      continue;
    }
    const kind = `${w.code}\u0000${w.field ?? ''}`;
    const list = groups.get(kind) ?? [];
    list.push(w);
    groups.set(kind, list);
  }
  for (const list of groups.values()) {
    const first = list[0] as MappingWarning;
    if (first.code === 'local-id-collision') {
      // References that carry a url resolve by endpoint, so these ids are only ambiguous for a
      // bare id: one line for the whole run (sharedIdsWarning), each id at --verbose.
      out.sharedIds += list.length;
      for (const w of list) out.notes.push(`${side}: ${w.message}`);
      continue;
    }
    const shown = list.length > SHOWN_PER_KIND + 1 ? list.slice(0, SHOWN_PER_KIND) : list;
    for (const w of shown) out.warnings.push(`${side}: ${w.message}`);
    if (shown.length < list.length) {
      const what = first.field ? `${first.code} on ${model}.${first.field}` : `${first.code} on ${model}`;
      out.warnings.push(`${side}: ... and ${list.length - shown.length} more ${what} warning(s) like these; --verbose lists them`);
      for (const w of list.slice(shown.length)) out.notes.push(`${side}: ${w.message}`);
    }
  }
  return out;
}

/** The one line a run says about ids shared across endpoints, model by model (count each). */
export function sharedIdsWarning(byModel: Map<string, number>): string | undefined {
  if (byModel.size === 0) return undefined;
  const total = [...byModel.values()].reduce((a, n) => a + n, 0);
  const models = [...byModel].map(([m, n]) => `${m} ${n}`).join(', ');
  return (
    `source: ${total} source id(s) belong to two records of different endpoints (${models}); harmless: ` +
    'references that carry a url (NetBox, Nautobot) resolve by endpoint, a bare id to the first record; --verbose lists them'
  );
}
