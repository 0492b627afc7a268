// The stand-in keeps source, owner and is_protected on attributes and relationships as the real
// Infrahub 1.11.9 does: the probes of tests/peers/infrahub/probes.ts are replayed against the
// stand-in and each lineage answer is compared, ids replaced by names, with the real server's
// recorded one (tests/fixtures/infrahub-real/lineage.json).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalise, runProbes, type ProbeRecord } from '../../peers/infrahub/probes.js';
import { startInfrahubStandin, type InfrahubStandin } from '../../standins/infrahub/index.js';

const SCHEMAS = fileURLToPath(new URL('../../../configs/schemas', import.meta.url));
const FIXTURES = new URL('../../fixtures/infrahub-real/', import.meta.url);

interface Recorded {
  suffix: string;
  names: Record<string, string>;
  cases: ProbeRecord;
}

function recorded(file: string): { record: ProbeRecord; names: Map<string, string>; suffix: string } {
  const r = JSON.parse(readFileSync(new URL(file, FIXTURES), 'utf8')) as Recorded;
  return { record: r.cases, names: new Map(Object.entries(r.names)), suffix: r.suffix };
}

describe('Infrahub stand-in lineage, against the recorded real server', () => {
  let standin: InfrahubStandin;
  let mine: ProbeRecord;
  const real = recorded('lineage.json');
  const setup = recorded('setup.json');
  const realNorm = normalise(real.record, new Map([...setup.names, ...real.names]), real.suffix);

  beforeAll(async () => {
    standin = await startInfrahubStandin({ schema: [SCHEMAS], token: 'lineage-token' });
    const run = await runProbes({ url: standin.url, token: 'lineage-token' }, '-t1');
    mine = normalise(run.record, run.names, '-t1');
  });
  afterAll(async () => {
    await standin.stop();
  });

  it('ran every probe', () => {
    expect(mine.aborted).toBeUndefined();
  });

  const steps = Object.keys(real.record);
  it('recorded the lineage steps', () => {
    expect(steps).toEqual(expect.arrayContaining(['lineage.create', 'lineage.readAfterCreate', 'lineage.readAfterValueOnlyUpdate', 'lineage.readAfterPropertiesUpdate']));
  });

  for (const step of steps) {
    it(`answers ${step} as the real server did`, () => {
      const got = mine[step];
      const want = realNorm[step];
      expect({ status: got?.status, body: got?.body }).toEqual({ status: want?.status, body: want?.body });
    });
  }

  it('reports the version it imitates on /api/info', async () => {
    const info = recorded('api-info.json').record.info?.body as { version: string };
    const res = await fetch(`${standin.url}/api/info`);
    expect(((await res.json()) as { version: string }).version).toBe(info.version);
  });
});
