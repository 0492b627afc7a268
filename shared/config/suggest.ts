// "Did you mean ...?" for config keys, kinds, operations and flags.

/**
 * Optimal-string-alignment distance (Damerau-Levenshtein restricted to adjacent transpositions):
 * a swapped pair such as `Ogranization`/`Organization` costs 1, the typo users actually make.
 */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number): number => d[i]?.[j] ?? 0;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, at(i - 2, j - 2) + 1);
      }
      const row = d[i];
      if (row) row[j] = best;
    }
  }
  return at(a.length, b.length);
}

export interface SuggestOptions {
  /** Also match a candidate that `word` starts, or that starts `word` (3+ letters). */
  prefixes?: boolean;
  /** Cap on the edit distance (by default a third of the word's length). */
  maxDistance?: number;
}

/**
 * The candidate closest to `word`, or undefined when none is close enough to be a plausible typo.
 * Case differences are free (users write `skip_unmatched_dst` for `SKIP_UNMATCHED_DST`).
 */
export function closestMatch(
  word: string,
  candidates: Iterable<string>,
  opts: SuggestOptions = {},
): string | undefined {
  const lower = word.toLowerCase();
  // A third of the word's length: long names tolerate more typos, 1-2 letter names only one edit.
  const limit = Math.min(opts.maxDistance ?? Infinity, Math.max(1, Math.floor(word.length / 3)));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (candidate === word) continue;
    const other = candidate.toLowerCase();
    const distance = editDistance(lower, other);
    // For keys, a truncated or extended word (`mapp`, `identifier`) is a typo however many letters
    // differ. Not for kinds: `InfraPlatform` next to a mapped `InfraPlatformType` is a real kind.
    const prefix =
      opts.prefixes === true &&
      Math.min(lower.length, other.length) >= 3 && (other.startsWith(lower) || lower.startsWith(other));
    if ((distance <= limit || prefix) && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** ` (did you mean `x`?)` or "" — ready to append to a message. */
export function didYouMean(word: string, candidates: Iterable<string>, opts: SuggestOptions = {}): string {
  const match = closestMatch(word, candidates, opts);
  return match === undefined ? '' : ` (did you mean \`${match}\`?)`;
}
