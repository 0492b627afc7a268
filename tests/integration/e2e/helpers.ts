// End-to-end runs of whole sync configs through the CLI, in process, against the stand-ins:
// a Nautobot or NetBox stand-in serving a generated network, and the Infrahub stand-in loaded
// with configs/schemas. Each run reads and writes over HTTP exactly as against the real systems.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { JsonDiff } from '../../../shared/diff/format-json.js';
import type { Plan } from '../../../shared/diff/types.js';
import type { RunReport } from '../../../shared/runtime/steps/index.js';
import { generateDataset, type DatasetSize } from '../../standins/dataset/index.js';
import { startInfrahubStandin, type InfrahubStandin, type InfrahubStandinOptions } from '../../standins/infrahub/index.js';
import { startNautobotStandin } from '../../standins/nautobot/server.js';
import { startNetboxStandin } from '../../standins/netbox/server.js';
import type { SourceDataset } from '../../standins/rest-common/source-dataset.js';
import { runCli } from '../cli/cli-harness.js';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const EXAMPLES = join(ROOT, 'tests/fixtures/config/examples');
const TOKEN = 'e2e-token';

export interface Sides {
  infrahub: InfrahubStandin;
  /** What the source stand-in serves; change rows and the next run sees it. */
  source: { url: string; dataset: SourceDataset; invalidate(): void; stop(): Promise<void> };
  env: NodeJS.ProcessEnv;
  work: string;
  stop(): Promise<void>;
}

export async function startSides(
  system: 'nautobot' | 'netbox',
  size: DatasetSize = 'tiny',
  seed = 1,
  infrahubOptions: Partial<InfrahubStandinOptions> = {},
): Promise<Sides> {
  const dataset = generateDataset({ size, seed });
  const source =
    system === 'nautobot' ? await startNautobotStandin({ dataset, token: TOKEN }) : await startNetboxStandin({ dataset, token: TOKEN });
  const infrahub = await startInfrahubStandin({ schema: join(ROOT, 'configs/schemas'), token: TOKEN, ...infrahubOptions });
  const work = await mkdtemp(join(tmpdir(), `ihs-e2e-${system}-`));
  const upper = system.toUpperCase();
  const env: NodeJS.ProcessEnv = {
    [`${upper}_ADDRESS`]: source.url,
    [`${upper}_TOKEN`]: TOKEN,
    INFRAHUB_ADDRESS: infrahub.url,
    INFRAHUB_API_TOKEN: TOKEN,
  };
  return {
    infrahub,
    source,
    env,
    work,
    async stop() {
      await Promise.allSettled([source.stop(), infrahub.stop()]);
      await rm(work, { recursive: true, force: true });
    },
  };
}

/** Copies a config into the run folder, applying text edits (each must match exactly once). */
export async function placeConfig(sides: Sides, from: string, edits: [from: string, to: string][] = []): Promise<string> {
  let text = await readFile(from, 'utf8');
  for (const [a, b] of edits) {
    const at = text.indexOf(a);
    if (at < 0 || text.indexOf(a, at + 1) >= 0) throw new Error(`edit must match exactly once: ${a}`);
    text = text.replace(a, b);
  }
  const file = join(sides.work, 'config.yml');
  await writeFile(file, text);
  return file;
}

export interface RunResult {
  code: number;
  diff: JsonDiff;
  report?: RunReport;
  stderr: string;
}

export async function run(sides: Sides, mode: 'diff' | 'sync', config: string): Promise<RunResult> {
  const r = await runCli([mode, '--config-file', config, '--format', 'json', '--store', join(sides.work, 'runs')], {
    cwd: sides.work,
    env: sides.env,
  });
  let doc: JsonDiff & { report?: RunReport };
  try {
    doc = JSON.parse(r.stdout) as JsonDiff & { report?: RunReport };
  } catch {
    throw new Error(`${mode} printed no JSON (exit ${r.code}): ${r.stderr}`);
  }
  return { code: r.code, diff: doc, report: doc.report, stderr: r.stderr };
}

/** Changes as `action model key` lines, for readable assertions. */
export function changeLines(diff: JsonDiff): string[] {
  return diff.changes.map((c) => `${c.action} ${c.model} ${c.key}`);
}

/** Failures as readable lines. */
export function failureLines(report: RunReport | undefined): string[] {
  return (report?.failures ?? []).map((f) => `${f.action} ${f.model} ${f.key}: ${f.message}`);
}

/** The plan a run stored in the run history (plan.json), found by its run id. */
export async function readPlan(sides: Sides, doc: object): Promise<Plan> {
  const diff = doc as { runId?: unknown };
  const runs = join(sides.work, 'runs', 'runs');
  for (const name of await readdir(runs)) {
    const file = join(runs, name, String(diff.runId), 'plan.json');
    try {
      return JSON.parse(await readFile(file, 'utf8')) as Plan;
    } catch {
      continue;
    }
  }
  throw new Error(`no plan for run ${String(diff.runId)}`);
}
