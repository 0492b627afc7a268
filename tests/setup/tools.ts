// vitest globalSetup: the AWS tests need moto (and the Lambda tests Node 22, the runtime interface
// client and emulator). A checkout that lacks them installs them here, once (tests/tools/install.sh,
// which `.ci/run` also runs); INFRAHUB_SYNC_TOOLS_INSTALL=never fails with the instructions instead.
import { spawnSync } from 'node:child_process';
import { INSTALL_HINT, INSTALL_SCRIPT, toolsDir, toolsReady, type ToolPart } from '../helpers/tools.js';

export default function setup(): void {
  const missing = (['moto', 'lambda'] as ToolPart[]).filter((p) => !toolsReady(p));
  if (missing.length === 0) return;
  if (process.env.INFRAHUB_SYNC_TOOLS_INSTALL === 'never') {
    throw new Error(`test tooling missing (${missing.join(', ')}) in ${toolsDir()}. ${INSTALL_HINT}`);
  }
  console.log(`Installing test tooling (${missing.join(', ')}) into ${toolsDir()}; first run only, a few minutes...`);
  for (const part of missing) {
    const r = spawnSync('bash', [INSTALL_SCRIPT, part], { stdio: 'inherit', env: { ...process.env, INFRAHUB_SYNC_TOOLS: toolsDir() } });
    if (r.status !== 0) throw new Error(`installing the test tooling (${part}) failed (see above). ${INSTALL_HINT}`);
  }
}
