import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { configsPushCommand } from './commands/configs-push.js';
import { listCommand } from './commands/list.js';
import { runCommand, type RunOptions } from './commands/run.js';
import { runsListCommand, runsPruneCommand, runsShowCommand } from './commands/runs.js';
import { validateCommand } from './commands/validate.js';
import { reportError } from './errors.js';
import { processIO, type CliIO } from './io.js';

function configOptions(cmd: Command): Command {
  return cmd
    .option('--name <name>', 'name of the sync config to use (searched for under --directory)')
    .option('--directory <dir>', 'folder to search for configs', '.')
    .option('--config-file <file>', 'path to a sync config file')
    .option('--strict', 'treat unknown config keys as errors');
}

function runOptions(cmd: Command): Command {
  return configOptions(cmd)
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--branch <branch>', 'Infrahub branch to read and write (default: settings.branch or the default branch)')
    .option('--force', 'run even when a guardrail (mass delete, empty source) would stop it')
    .option('--store <dir>', 'run history folder', '.runs')
    .option('--workers <n>', 'concurrent apply workers', '4')
    .option('--verbose', 'log each load and stage')
    .option('--show-progress', 'show progress: a live bar on a terminal, a line per phase otherwise (default)')
    .option('--no-show-progress', 'print no progress, only the result');
}

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export function buildProgram(io: CliIO, setCode: (code: number) => void): Command {
  const program = new Command('infrahub-sync')
    .version(packageVersion())
    .description('Sync Nautobot, NetBox, REST APIs and Infrahub into Infrahub, with infrahub-sync configs')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .showHelpAfterError();

  program
    .command('list')
    .description('list the sync configs found under a folder')
    .option('--directory <dir>', 'folder to search', '.')
    .action(async (opts) => setCode(await listCommand(opts, io)));

  configOptions(program.command('validate').description('check a sync config (with --check-schema: against the live Infrahub schema)'))
    .option('--check-schema', 'also check every kind, field, reference and identifier against the Infrahub schema')
    .option('--branch <branch>', 'Infrahub branch whose schema to check')
    .action(
    async (opts) => setCode(await validateCommand(opts, io)),
  );

  runOptions(program.command('diff').description('show what a sync would change')).action(async (opts: RunOptions) =>
    setCode(await runCommand('diff', opts, io)),
  );

  runOptions(program.command('sync').description('apply the differences to the destination'))
    .option('--diff', 'print the diff before applying it')
    .option('--dry-run', 'plan and print, write nothing')
    .option('--plan <runId>', 'apply only the plan reviewed in this earlier run (a diff); refuse if it changed since')
    .option('--no-verify', 'do not read back what was written and diff again after the apply')
    .action(async (opts: RunOptions) => setCode(await runCommand('sync', opts, io)));

  const configs = program.command('configs').description('manage the configs of an AWS deployment');
  configOptions(configs.command('push').description('validate configs and upload them to the deployment bucket (configs/<name>.yml)'))
    .requiredOption('--bucket <bucket>', 'the deployment bucket (stack output BucketName)')
    .option('--prefix <prefix>', 'key prefix inside the bucket')
    .option('--all', 'push every config found under --directory')
    .option('--endpoint-url <url>', 'an S3-compatible endpoint instead of AWS')
    .action(async (opts) => setCode(await configsPushCommand(opts, io)));

  const runs = program.command('runs').description('read the run history (plans, diffs, reports)');
  const historyOptions = (cmd: Command) =>
    cmd
      .option('--store <dir>', 'run history folder', '.runs')
      .option('--name <name>', 'only runs of this config')
      .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'));
  const bucketOptions = (cmd: Command) =>
    cmd
      .option('--bucket <bucket>', "read an AWS deployment's history from its bucket (stack output BucketName) instead of --store")
      .option('--prefix <prefix>', 'key prefix inside the bucket')
      .option('--endpoint-url <url>', 'an S3-compatible endpoint instead of AWS');
  bucketOptions(historyOptions(runs.command('list').description('list runs, newest first'))).action(async (opts) =>
    setCode(await runsListCommand(opts, io)),
  );
  historyOptions(runs.command('prune').description('remove old runs from the history (the newest --keep of each config stay)'))
    .option('--keep <n>', 'keep the newest N runs of each config')
    .option('--older-than <age>', 'remove only runs older than this: 30d, 12h, 90m')
    .option('--dry-run', 'list what would be removed, remove nothing')
    .action(async (opts) => setCode(await runsPruneCommand(opts, io)));
  bucketOptions(historyOptions(runs.command('show').description('show one run: plan, report, failures, diff').argument('<runId>', 'run id or a unique prefix of it'))).action(
    async (runId: string, opts) => setCode(await runsShowCommand(runId, opts, io)),
  );

  return program;
}

/** Runs the CLI and returns the exit code: 0 success, 1 runtime failure, 2 usage or config error. */
export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  let code = 0;
  const program = buildProgram(io, (c) => (code = c));
  try {
    await program.parseAsync(argv);
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit 0; anything else commander rejects is a usage error.
      return err.exitCode === 0 ? 0 : 2;
    }
    return reportError(err, io);
  }
}
