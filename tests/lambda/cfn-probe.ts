// `npm run moto:cfn`: tries `cdk bootstrap` and `cdk deploy` of the synthesized stack against
// moto's CloudFormation (AWS_ENDPOINT_URL), then creates each resource of the template on its
// own (with the resources it refers to) to record which ones moto accepts. Test tooling; its
// findings are in the README (Development, "cdk deploy against moto").
import {
  CloudFormationClient,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStackEventsCommand,
  DescribeStackResourcesCommand,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ACCOUNT, FAKE_CREDENTIALS, REGION, startMoto } from '../helpers/moto.js';
import { REPO_ROOT } from '../helpers/tools.js';
import { TEST_SETTINGS } from './harness/scenario.js';
import { synthesize } from './harness/synth.js';
import { readTemplate, type CfnTemplate } from './harness/template.js';

const run = promisify(execFile);

function refsOf(value: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => refsOf(v, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (k === 'Ref' && typeof v === 'string') out.add(v);
      else if (k === 'Fn::GetAtt') out.add(Array.isArray(v) ? String(v[0]) : String(v).split('.')[0] as string);
      else refsOf(v, out);
    }
  }
  return out;
}

function closure(t: CfnTemplate, id: string, seen = new Set<string>()): Set<string> {
  if (seen.has(id) || !t.Resources[id]) return seen;
  seen.add(id);
  const r = t.Resources[id];
  for (const d of [...refsOf(r?.Properties), ...[r?.DependsOn ?? []].flat()]) closure(t, d, seen);
  return seen;
}

/** created | skipped (the stack completes without it: a type moto's CloudFormation does not
 *  model, whose Ref is then null) | the failure. */
async function outcome(cf: CloudFormationClient, name: string, id: string): Promise<string> {
  for (let i = 0; i < 120; i++) {
    const s = (await cf.send(new DescribeStacksCommand({ StackName: name }))).Stacks?.[0];
    if (s?.StackStatus && !s.StackStatus.endsWith('IN_PROGRESS')) {
      if (s.StackStatus === 'CREATE_COMPLETE') {
        const resources = (await cf.send(new DescribeStackResourcesCommand({ StackName: name }))).StackResources ?? [];
        return resources.some((r) => r.LogicalResourceId === id && r.PhysicalResourceId) ? 'created' : 'skipped';
      }
      const events = (await cf.send(new DescribeStackEventsCommand({ StackName: name }))).StackEvents ?? [];
      const why = events.find((e) => e.ResourceStatus?.endsWith('FAILED'))?.ResourceStatusReason ?? s.StackStatusReason;
      return `${s.StackStatus}: ${why ?? ''}`;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return 'no outcome';
}

const assembly = await synthesize(TEST_SETTINGS);
const template = readTemplate(assembly.templatePath);
const moto = await startMoto();
// moto reads a template URL with "localhost" in it as path-style; CDK builds it from the endpoint.
const endpoint = `http://localhost:${moto.port}`;
const env = {
  ...process.env,
  AWS_ENDPOINT_URL: endpoint,
  AWS_ACCESS_KEY_ID: FAKE_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: FAKE_CREDENTIALS.secretAccessKey,
  AWS_REGION: REGION,
  AWS_DEFAULT_REGION: REGION,
};
const cdk = async (args: string[]) => {
  try {
    const out = await run('npx', ['--no-install', 'cdk', ...args, '--app', assembly.dir, '--no-notices'], { cwd: REPO_ROOT, env, maxBuffer: 32 << 20 });
    return { ok: true, text: out.stdout + out.stderr };
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    return { ok: false, text: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
};
try {
  const boot = await cdk(['bootstrap', `aws://${ACCOUNT}/${REGION}`]);
  console.log(`cdk bootstrap: ${boot.ok ? 'ok' : 'FAILED'}`);
  const deploy = await cdk(['deploy', '--require-approval', 'never']);
  const lastLines = deploy.text.split('\n').filter((l) => /❌|Error|failed|deploy/i.test(l) && !/NodeVersion/.test(l)).slice(-3);
  console.log(`cdk deploy ${assembly.stackName}: ${deploy.ok ? 'ok' : 'FAILED'}\n  ${lastLines.join('\n  ')}`);

  const cf = new CloudFormationClient({ endpoint: moto.endpoint, region: REGION, credentials: FAKE_CREDENTIALS });
  const byType = new Map<string, string[]>();
  let n = 0;
  for (const [id, r] of Object.entries(template.Resources)) {
    if (r.Type === 'AWS::CDK::Metadata') continue;
    const ids = closure(template, id);
    const body = JSON.stringify({ ...template, Outputs: undefined, Resources: Object.fromEntries([...ids].map((i) => [i, template.Resources[i]])) });
    const name = `probe-${++n}`;
    let result: string;
    try {
      await cf.send(new CreateStackCommand({ StackName: name, TemplateBody: body, Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM'] }));
      result = await outcome(cf, name, id);
      await cf.send(new DeleteStackCommand({ StackName: name })).catch(() => undefined);
    } catch (err) {
      result = `refused: ${(err as Error).message}`;
    }
    const list = byType.get(r.Type) ?? [];
    list.push(`${id}: ${result}`);
    byType.set(r.Type, list);
  }
  console.log('\nEach resource on its own, with the resources it refers to (created / skipped by moto / failed):');
  for (const [type, results] of [...byType.entries()].sort()) {
    const count = (what: string) => results.filter((x) => x.endsWith(`: ${what}`)).length;
    console.log(`  ${type}: ${count('created')} created, ${count('skipped')} skipped, ${results.length - count('created') - count('skipped')} failed`);
    for (const x of results.filter((y) => !/: (created|skipped)$/.test(y))) console.log(`    ${x}`);
  }
} finally {
  await moto.stop();
}
