// The real thing, once: `npx cdk synth` in a child process, with esbuild bundling, no AWS
// credentials and no settings file; then cfn-lint on the template when it is installed
// (`pip install cfn-lint`), and every bundled handler imported by a plain Node process.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const hasCfnLint = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' }).status === 0;

interface CfnTemplate {
  Resources: Record<string, { Type: string; Properties: Record<string, unknown>; Metadata?: Record<string, unknown> }>;
}

/** The environment of a fresh machine: no credentials, no profile, no settings file override. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(AWS_|CDK_)/.test(k) || k === 'DEPLOYMENT_SETTINGS') continue;
    env[k] = v;
  }
  return { ...env, AWS_SHARED_CREDENTIALS_FILE: '/nonexistent', AWS_CONFIG_FILE: '/nonexistent', AWS_EC2_METADATA_DISABLED: 'true' };
}

describe('npx cdk synth', () => {
  const outdir = mkdtempSync(path.join(tmpdir(), 'cdk-synth-'));
  let template: CfnTemplate;
  let stackName = '';

  beforeAll(() => {
    // cdk/deployment.yml is a local, uncommitted file; with one present the synth uses it.
    execFileSync('npx', ['--no-install', 'cdk', 'synth', '--quiet', '--no-notices', '--output', outdir], {
      env: cleanEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 240_000,
    });
    const file = readdirSync(outdir).find((f) => f.endsWith('.template.json'));
    if (!file) throw new Error(`no template in ${outdir}`);
    stackName = file.replace(/\.template\.json$/, '');
    template = JSON.parse(readFileSync(path.join(outdir, file), 'utf8')) as CfnTemplate;
  }, 300_000);

  it('produces the stack with five bundled nodejs22.x arm64 functions', () => {
    const fns = Object.values(template.Resources).filter((r) => r.Type === 'AWS::Lambda::Function');
    expect(fns).toHaveLength(5);
    for (const fn of fns) expect(fn.Properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'] });
    expect(stackName).toMatch(/^[A-Za-z][A-Za-z0-9-]*$/);
  });

  it('bundles each handler into a module that loads and exports `handler`', () => {
    const fns = Object.values(template.Resources).filter((r) => r.Type === 'AWS::Lambda::Function');
    for (const fn of fns) {
      const assetPath = fn.Metadata?.['aws:asset:path'] as string;
      const entry = path.join(outdir, assetPath, 'index.mjs');
      expect(existsSync(entry)).toBe(true);
      const out = execFileSync(
        process.execPath,
        ['--input-type=module', '-e', `const m = await import(${JSON.stringify(entry)}); console.log(typeof m.handler);`],
        { env: { ...cleanEnv(), BUCKET_NAME: 'b', AWS_REGION: 'eu-west-1', NODE_NO_WARNINGS: '1' }, encoding: 'utf8', timeout: 60_000 },
      );
      expect(out.trim()).toBe('function');
    }
  });

  it.skipIf(!hasCfnLint)('passes cfn-lint', () => {
    // W3005: CDK adds DependsOn on a function's role that a GetAtt already implies; harmless.
    const res = spawnSync('cfn-lint', ['--ignore-checks', 'W3005', '--', path.join(outdir, `${stackName}.template.json`)], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(res.stdout + res.stderr).toBe('');
    expect(res.status).toBe(0);
  });
});

