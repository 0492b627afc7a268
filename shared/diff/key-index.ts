// Position of each record by key: an open-addressing hash table over one Int32Array, the keys
// themselves read back from the records. It replaces a Map<string, number> on the hot path of
// normalising and diffing because, at 100,000 records a model, a Map keeps ~37 bytes an entry
// on the V8 heap and discards as much again in outgrown tables; the scavenger copies all of it
// and, in a run that never reaches a full GC, it all stays in the peak RSS. This table lives
// off the V8 heap (nothing for the GC to scan) and is sized once from the expected count.

/** FNV-1a over UTF-16 code units; any fixed function works, this one is cheap and spreads
 *  keys that differ only in their trailing digits. */
function hashOf(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h | 0;
}

const MIN_CAPACITY = 16;

export class KeyIndex {
  // Two slots per entry: the key's hash, then position + 1 (0 marks an empty entry).
  private table: Int32Array;
  private mask: number;
  private count = 0;

  /** `records` is where positions point; it may grow after the index is made (normalising
   *  adds each record right after adding its key). */
  constructor(
    private readonly records: readonly { readonly key: string }[],
    expected = 0,
  ) {
    let capacity = MIN_CAPACITY;
    while (capacity < expected * 2) capacity *= 2;
    this.table = new Int32Array(capacity * 2);
    this.mask = capacity - 1;
  }

  /** Indexes every record of `records`; a key seen twice keeps its first position and is
   *  reported to `onDuplicate` with both positions. */
  static of(records: readonly { readonly key: string }[], onDuplicate: (first: number, again: number) => void): KeyIndex {
    const index = new KeyIndex(records, records.length);
    for (let i = 0; i < records.length; i++) {
      const first = index.add((records[i] as { key: string }).key, i);
      if (first >= 0) onDuplicate(first, i);
    }
    return index;
  }

  get size(): number {
    return this.count;
  }

  /** Position of `key`, or -1. */
  get(key: string): number {
    const h = hashOf(key);
    const table = this.table;
    const mask = this.mask;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const at = table[slot * 2 + 1] as number;
      if (at === 0) return -1;
      if (table[slot * 2] === h && (this.records[at - 1] as { key: string }).key === key) return at - 1;
    }
  }

  /** Records `key` at `position` unless the key is there already: then returns the position it
   *  has (and changes nothing), else -1. */
  add(key: string, position: number): number {
    if ((this.count + 1) * 2 > this.mask + 1) this.grow();
    const h = hashOf(key);
    const table = this.table;
    const mask = this.mask;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const at = table[slot * 2 + 1] as number;
      if (at === 0) {
        table[slot * 2] = h;
        table[slot * 2 + 1] = position + 1;
        this.count++;
        return -1;
      }
      if (table[slot * 2] === h && (this.records[at - 1] as { key: string }).key === key) return at - 1;
    }
  }

  private grow(): void {
    const old = this.table;
    const capacity = (this.mask + 1) * 2;
    const table = new Int32Array(capacity * 2);
    const mask = capacity - 1;
    for (let i = 0; i < old.length; i += 2) {
      const at = old[i + 1] as number;
      if (at === 0) continue;
      const h = old[i] as number;
      let slot = h & mask;
      while (table[slot * 2 + 1] !== 0) slot = (slot + 1) & mask;
      table[slot * 2] = h;
      table[slot * 2 + 1] = at;
    }
    this.table = table;
    this.mask = mask;
  }
}
