// DiffSync flags as booleans. Semantics follow networktocode/diffsync (DiffSyncFlags is a bit
// flag, so a list of flags is their OR) and infrahub-sync's Potenda, with one deliberate change
// for an explicit NONE (see resolveFlags).
import type { DiffSyncFlag } from '../config/types.js';

export interface ResolvedFlags {
  /** No creates: records only in the source are skipped. */
  skipUnmatchedSrc: boolean;
  /** No deletes: records only in the destination are skipped. */
  skipUnmatchedDst: boolean;
  /** No updates. Not a diffsync flag (infrahub-sync documents it); ours counts them as skipped. */
  skipModified: boolean;
  continueOnFailure: boolean;
  logUnchanged: boolean;
}

/**
 * infrahub-sync ORs the configured flags and, when the result is zero, falls back to
 * SKIP_UNMATCHED_DST. So an empty list means "no deletes", while a list holding only
 * CONTINUE_ON_FAILURE or LOG_UNCHANGED_RECORDS enables deletes; we keep both behaviours.
 * Upstream an explicit `[NONE]` also ORs to zero and so also falls back to SKIP_UNMATCHED_DST;
 * here an explicit NONE means "allow everything", because otherwise the only way to ask for
 * deletes would be to list an unrelated flag.
 */
export function resolveFlags(flags: readonly DiffSyncFlag[]): ResolvedFlags {
  const set = new Set(flags);
  const both = set.has('SKIP_UNMATCHED_BOTH');
  return {
    skipUnmatchedSrc: both || set.has('SKIP_UNMATCHED_SRC'),
    skipUnmatchedDst: flags.length === 0 || both || set.has('SKIP_UNMATCHED_DST'),
    skipModified: set.has('SKIP_MODIFIED'),
    continueOnFailure: set.has('CONTINUE_ON_FAILURE'),
    logUnchanged: set.has('LOG_UNCHANGED_RECORDS'),
  };
}
