// "Has every one of N tasks finished?" with only putIfAbsent and list, at a cost per task that
// does not grow with N. Listing one flat folder of N markers after each task's own write is
// correct but quadratic: 10,000 loads (a 5,000-model config) would list 10,000 markers 10,000
// times. Markers form a tree instead: a task marks its slot in a group of GROUP; the task that
// sees its group complete marks the group's slot one level up, and so on. A task lists one group
// per level it climbs, and only the completer of a group climbs. The same argument as the flat
// count makes it safe: each writer lists after its own write (S3 lists are strongly consistent),
// so the last writer of a group sees it full; two writers may both see it full, and both climb,
// which is harmless because every marker is a putIfAbsent and the final claim is the caller's.
import type { ObjectStore } from '../ports.js';

export const FAN_IN_GROUP = 64;

const slot = (prefix: string, level: number, index: number, group: number) =>
  `${prefix}${level}/${Math.floor(index / group)}/${index}`;

/**
 * Marks task `index` (0 <= index < total) done under `prefix` (a folder key ending in `/`) and
 * returns true when, as far as this caller can see, all `total` tasks are done. More than one
 * caller may get true; the caller makes the "exactly once" decision with its own claim.
 * Re-running it for a task already marked (a redelivery) climbs again, so a task that crashed
 * half-way up finishes the climb.
 */
export async function markDone(
  store: ObjectStore,
  prefix: string,
  index: number,
  total: number,
  group = FAN_IN_GROUP,
): Promise<boolean> {
  if (!Number.isInteger(index) || index < 0 || index >= total) {
    throw new RangeError(`fan-in: task ${index} is outside 0..${total - 1}`);
  }
  let level = 0;
  let item = index;
  let count = total;
  // Empty markers: only their existence counts, and an empty object is cheap to create.
  await store.putIfAbsent(slot(prefix, level, item, group), '');
  while (count > 1) {
    const g = Math.floor(item / group);
    const size = Math.min(group, count - g * group);
    const seen = (await store.list(`${prefix}${level}/${g}/`)).length;
    if (seen < size) return false;
    level++;
    item = g;
    count = Math.ceil(count / group);
    await store.putIfAbsent(slot(prefix, level, item, group), '');
  }
  return true;
}
