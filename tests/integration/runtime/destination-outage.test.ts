// Infrahub unavailable while a sync applies (503 from its proxy, every retry of the adapter
// spent): the changes were never refused by Infrahub, so they must not be reported as failed.
// The batch stays on the queue and is retried; once Infrahub answers, the run completes with
// every change applied. A change Infrahub refuses on its content is still a failed change.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../../shared/config/index.js';
import { runLocal } from '../../../shared/runtime/local/index.js';
import { startInfrahubGate, type InfrahubGate } from '../../helpers/infrahub-gate.js';
import { startInfrahubStandin, type InfrahubStandin } from '../../standins/infrahub/index.js';
import { fileDemoCopy } from '../cli/cli-harness.js';

const schema = join(import.meta.dirname, '../../fixtures/infrahub/file-demo-schema.yml');
const running: { stop(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
});

async function setup(): Promise<{ infrahub: InfrahubStandin; gate: InfrahubGate; dir: string }> {
  const infrahub = await startInfrahubStandin({ schema });
  const gate = await startInfrahubGate(infrahub.url);
  running.push(gate, infrahub);
  const dir = await fileDemoCopy();
  const file = join(dir, 'config.yml');
  const text = (await readFile(file, 'utf8')).replace(
    /destination:\n {2}name: file\n {2}settings:\n {4}path: .*\n/,
    // No retries inside the adapter: the queue's retry is what this test is about.
    'destination:\n  name: infrahub\n  settings:\n    retries: 0\n',
  );
  await writeFile(file, text);
  return { infrahub, gate, dir };
}

describe('a sync while Infrahub is unavailable', () => {
  it('leaves the batch on the queue instead of failing its changes; the retry completes the run', async () => {
    const { infrahub, gate, dir } = await setup();
    // The first three write requests meet a 503 from the proxy, then Infrahub is back.
    gate.onMutation = (n) => (n <= 3 ? { status: 503 } : 'pass');
    const loaded = await loadConfigFile(join(dir, 'config.yml'));
    const env = { INFRAHUB_ADDRESS: gate.url, INFRAHUB_API_TOKEN: 'standin-token' };
    const { report } = await runLocal({ loaded, mode: 'sync', store: join(dir, '.runs'), env });
    expect(gate.mutations).toBeGreaterThan(3);
    expect(report.failed).toBe(0);
    expect(report.status).toBe('succeeded');
    expect(report.applied.create).toBe(13);
    expect(infrahub.nodes('InfraDevice')).toHaveLength(3);
    expect(infrahub.nodes('InfraInterfaceL2L3')).toHaveLength(4);
  });
});

describe('a sync while Infrahub stays unavailable', () => {
  it('fails no change: the batch is dead-lettered, and the run says why', async () => {
    const { infrahub, gate, dir } = await setup();
    gate.onMutation = () => ({ status: 503 });
    const loaded = await loadConfigFile(join(dir, 'config.yml'));
    const env = { INFRAHUB_ADDRESS: gate.url, INFRAHUB_API_TOKEN: 'standin-token' };
    await expect(runLocal({ loaded, mode: 'sync', store: join(dir, '.runs'), env })).rejects.toThrow(
      /stalled: 1 message\(s\) dead-lettered \(last error: apply: infrahub: unavailable \(\d+ change\(s\) not applied\): HTTP 503/,
    );
    // Five deliveries of the first batch, each one request (retries: 0), nothing written.
    expect(gate.mutations).toBe(5);
    expect(infrahub.nodes('BuiltinTag')).toHaveLength(0);
  });
});
