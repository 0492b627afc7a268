import { describe, expect, it } from 'vitest';
import { verifyLines } from '../../../shared/cli/verify-lines.js';

describe('verifyLines', () => {
  it('lists each change that did not stick, with the value written and the value found per field', () => {
    const lines = verifyLines(
      {
        converged: false,
        checked: 12,
        ms: 3,
        notConverged: [
          { model: 'InfraDevice', key: 'edge1', action: 'update', message: 'the destination holds other values than those written', fields: [{ name: 'serial', expected: 'abc', actual: null }] },
          { model: 'InfraVLAN', key: 'Data__100', action: 'create', message: 'not in the destination after it was created', fields: [{ name: 'name', expected: 'Data', actual: null }] },
          { model: 'BuiltinTag', key: 'red', action: 'delete', message: 'still in the destination after it was deleted', fields: [] },
        ],
      },
      2,
    );
    expect(lines).toEqual([
      'verify: not converged: 3 change(s) did not stick (12 record(s) read back)',
      '  InfraDevice edge1: the destination holds other values than those written',
      '    serial: wrote "abc", found nothing',
      '  InfraVLAN Data__100: not in the destination after it was created',
      '  ... and 1 more',
    ]);
  });

  it('is one line when converged or when the check failed, and nothing without a check', () => {
    expect(verifyLines({ converged: true, checked: 4, ms: 1, notConverged: [] })).toEqual(['verify: converged (4 record(s) read back)']);
    expect(verifyLines({ converged: false, checked: 0, ms: 1, notConverged: [], error: 'could not check what was written: x' })).toEqual([
      'verify: not converged: could not check what was written: x',
    ]);
    expect(verifyLines(undefined)).toEqual([]);
  });
});
