// Mapping warnings as a user reads them: the harmless kind said once per model, a long run of one
// kind cut short, so the warning that matters is not buried under fifty that do not. Every
// individual line stays available as a note (printed with --verbose, logged at info in AWS).
import type { MappingWarning } from '../../mapping/index.js';

export interface SummarisedWarnings {
  warnings: string[];
  notes: string[];
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
  const out: SummarisedWarnings = { warnings: [], notes: [] };
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
      // bare id; worth one line, not one per id.
      out.warnings.push(
        `${side}: ${model}: ${list.length} source id(s) each belong to two records from different endpoints ` +
          `(ids ${list.slice(0, 5).map((w) => w.localId).join(', ')}${list.length > 5 ? ', ...' : ''}); harmless: references ` +
          'that carry a url (NetBox, Nautobot) resolve by endpoint, a bare id to the first record; --verbose lists them',
      );
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
