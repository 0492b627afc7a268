import { describe, expect, it } from 'vitest';
import { resolveFlags } from '../../../shared/diff/flags.js';

const none = {
  skipUnmatchedSrc: false,
  skipUnmatchedDst: false,
  skipModified: false,
  continueOnFailure: false,
  logUnchanged: false,
};

describe('resolveFlags', () => {
  it('defaults to SKIP_UNMATCHED_DST when no flag is given', () => {
    expect(resolveFlags([])).toEqual({ ...none, skipUnmatchedDst: true });
  });

  it('treats an explicit NONE as allowing creates, updates and deletes', () => {
    expect(resolveFlags(['NONE'])).toEqual(none);
  });

  it('maps each flag to its own switch', () => {
    expect(resolveFlags(['SKIP_UNMATCHED_SRC'])).toEqual({ ...none, skipUnmatchedSrc: true });
    expect(resolveFlags(['SKIP_UNMATCHED_DST'])).toEqual({ ...none, skipUnmatchedDst: true });
    expect(resolveFlags(['SKIP_MODIFIED'])).toEqual({ ...none, skipModified: true });
    expect(resolveFlags(['CONTINUE_ON_FAILURE'])).toEqual({ ...none, continueOnFailure: true });
    expect(resolveFlags(['LOG_UNCHANGED_RECORDS'])).toEqual({ ...none, logUnchanged: true });
  });

  it('expands SKIP_UNMATCHED_BOTH to source and destination', () => {
    expect(resolveFlags(['SKIP_UNMATCHED_BOTH'])).toEqual({
      ...none,
      skipUnmatchedSrc: true,
      skipUnmatchedDst: true,
    });
  });

  it('ORs combined flags, NONE adding nothing', () => {
    expect(resolveFlags(['NONE', 'SKIP_MODIFIED', 'CONTINUE_ON_FAILURE'])).toEqual({
      ...none,
      skipModified: true,
      continueOnFailure: true,
    });
    expect(resolveFlags(['SKIP_UNMATCHED_SRC', 'SKIP_UNMATCHED_BOTH', 'LOG_UNCHANGED_RECORDS'])).toEqual({
      ...none,
      skipUnmatchedSrc: true,
      skipUnmatchedDst: true,
      logUnchanged: true,
    });
  });

  it('enables deletes when only a non-skip flag is listed, as infrahub-sync does', () => {
    // infrahub-sync falls back to SKIP_UNMATCHED_DST only when the OR of the flags is zero.
    expect(resolveFlags(['CONTINUE_ON_FAILURE']).skipUnmatchedDst).toBe(false);
  });
});
