// Where the test tooling lives (tests/tools/install.sh puts it there): moto's server, Node 22, the
// Lambda runtime interface client and emulator. INFRAHUB_SYNC_TOOLS points at another install
// (one shared by several checkouts); MOTO_SERVER at a moto_server executable of your own.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const INSTALL_SCRIPT = join(REPO_ROOT, 'tests', 'tools', 'install.sh');

export type ToolPart = 'moto' | 'lambda';

export function toolsDir(): string {
  return process.env.INFRAHUB_SYNC_TOOLS ? resolve(process.env.INFRAHUB_SYNC_TOOLS) : join(REPO_ROOT, '.venv-tools');
}

export function motoServerPath(): string {
  return process.env.MOTO_SERVER ?? join(toolsDir(), 'venv', 'bin', 'moto_server');
}

export interface LambdaTools {
  /** Node 22: the nodejs22.x runtime's major version. */
  node: string;
  /** aws-lambda-ric's entry (what the managed runtime's bootstrap starts). */
  ric: string;
  /** aws-lambda-rie: the Runtime API and the invoke endpoint. */
  rie: string;
}

export function lambdaTools(): LambdaTools {
  const dir = toolsDir();
  return {
    node: join(dir, 'bin', 'node'),
    ric: join(dir, 'lambda-ric', 'node_modules', 'aws-lambda-ric', 'index.mjs'),
    rie: join(dir, 'bin', 'aws-lambda-rie'),
  };
}

/** True when the part is installed from the current pins (install.sh --check). */
export function toolsReady(part: ToolPart): boolean {
  if (part === 'moto' && process.env.MOTO_SERVER) return existsSync(process.env.MOTO_SERVER);
  const r = spawnSync('bash', [INSTALL_SCRIPT, '--check', part], { env: { ...process.env, INFRAHUB_SYNC_TOOLS: toolsDir() } });
  return r.status === 0;
}

export const INSTALL_HINT =
  `Install the test tooling with \`bash tests/tools/install.sh\` (needs Python 3.9+, Go, cmake and a C++ compiler; ` +
  `about 5 minutes the first time), or point INFRAHUB_SYNC_TOOLS at an existing install.`;
