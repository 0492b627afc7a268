import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { configsPushCommand } from './commands/configs-push.js';
import { generateCommand } from './commands/generate.js';
import { listCommand } from './commands/list.js';
import { runCommand, type RunOptions } from './commands/run.js';
import { runsListCommand, runsPruneCommand, runsShowCommand } from './commands/runs.js';
import { validateCommand } from './commands/validate.js';
import { reportError } from './errors.js';
import { closestMatch } from '../config/suggest.js';
import { ExitError, processIO, type CliIO } from './io.js';
import { type GlobalOptions } from './verbosity.js';

/** infrahub-sync's --adapter-path is given once per folder. */
const collect = (value: string, previous: string[] = []) => [...previous, value];

function configOptions(cmd: Command): Command {
  return cmd
    .option('--name <name>', 'name of the sync config to use (searched for under --directory)')
    .option('--directory <dir>', 'folder to search for configs (and that a relative --config-file is in)', '.')
    .option('--config-file <file>', 'path to a sync config file')
    .option('--strict', 'treat unknown config keys as errors');
}

function adapterPathOption(cmd: Command): Command {
  return cmd.option(
    '--adapter-path <dir>',
    "infrahub-sync's folders of Python adapters (repeatable); accepted, but only the built-in adapters run here",
    collect,
  );
}

function runOptions(cmd: Command): Command {
  return adapterPathOption(configOptions(cmd))
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--branch <branch>', 'Infrahub branch to read and write (default: settings.branch or the default branch)')
    .option('--force', 'run even when a guardrail (mass delete, empty source) would stop it')
    .option('--store <dir>', 'run history folder', '.runs')
    .option('--workers <n>', 'concurrent apply workers', '4')
    .option('--show-progress', 'show progress: a live bar on a terminal, a line per phase otherwise (default)')
    .option('--no-show-progress', 'print no progress, only the result')
    .option('--concurrent-load', 'load the models of both sides concurrently (default)')
    .option('--no-concurrent-load', 'load one model of one side at a time')
    .option('--full-extract', 'read every record from both sides (the default, and the only way here)')
    .option('--no-full-extract', "infrahub-sync's incremental extraction; not available here: every run reads everything");
}

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export function buildProgram(io: CliIO, setCode: (code: number) => void): Command {
  const program = new Command('infrahub-sync')
    .version(packageVersion())
    .description('Sync Nautobot, NetBox, REST APIs and Infrahub into Infrahub, with infrahub-sync configs')
    // infrahub-sync's global options; accepted before or after the command.
    .option('-v, --verbose', 'say what is loaded (model, side, entries, records, time) and why anything is retried')
    .option('-q, --quiet', 'only warnings and errors on stderr: no progress, no result line when all went well')
    .addOption(new Option('--verbosity <level>', 'quiet, default or verbose (as -q / -v)').choices(['quiet', 'default', 'verbose']))
    .option('--install-completion', "infrahub-sync's shell completion; not provided by this tool")
    .option('--show-completion', "infrahub-sync's shell completion; not provided by this tool")
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .configureHelp({ showGlobalOptions: true })
    .showHelpAfterError()
    // The program's own action (for the completion switches and a bare `infrahub-sync`) would
    // otherwise take an unknown command for an argument.
    .argument('[command]')
    .usage('[options] [command]')
    .action((command: string | undefined, opts: { installCompletion?: boolean; showCompletion?: boolean }) => {
      if (command !== undefined) {
        const close = closestMatch(command, program.commands.map((c) => c.name()));
        throw new ExitError(2, `error: unknown command '${command}'${close ? ` (did you mean '${close}'?)` : ''}; \`infrahub-sync --help\` lists them`);
      }
      if (opts.installCompletion || opts.showCompletion) {
        io.err('shell completion is not provided by this tool: nothing was installed or shown\n');
        return;
      }
      // As infrahub-sync: no command prints the help.
      io.out(program.helpInformation());
    });

  const withGlobals = <T>(cmd: Command): T & GlobalOptions => cmd.optsWithGlobals() as T & GlobalOptions;

  program
    .command('list')
    .description('list the sync configs found under a folder (not those under tests/ or fixtures/ folders)')
    .option('--directory <dir>', 'folder to search', '.')
    .option('--include-tests', 'also list configs under tests/, test/ and fixtures/ folders')
    .action(async (_opts, cmd: Command) => setCode(await listCommand(withGlobals(cmd), io)));

  configOptions(program.command('validate').description('check a sync config (with --check-schema: against the live Infrahub schema)'))
    .option('--check-schema', 'also check every kind, field, reference and identifier against the Infrahub schema')
    .option('--branch <branch>', 'Infrahub branch whose schema to check')
    .action(async (_opts, cmd: Command) => setCode(await validateCommand(withGlobals(cmd), io)));

  adapterPathOption(
    configOptions(
      program
        .command('generate')
        .description("infrahub-sync's code generation: nothing to generate here (configs are read at run time), so it validates the config"),
    ),
  )
    .option('--branch <branch>', 'accepted; the Infrahub branch does not matter when nothing is generated')
    .action(async (_opts, cmd: Command) => setCode(await generateCommand(withGlobals(cmd), io)));

  runOptions(program.command('diff').description('show what a sync would change (the whole plan, even one a guardrail would refuse)'))
    .option('--run-id <id>', 'id of this run in the history (default: a new one); `apply --run-id` applies its plan')
    .action(async (_opts, cmd: Command) => setCode(await runCommand('diff', withGlobals<RunOptions>(cmd), io)));

  runOptions(program.command('sync').description('apply the differences to the destination'))
    .option('--diff', 'print the differences before applying them (default, as infrahub-sync)')
    .option('--no-diff', 'print only the counts per model, not every difference')
    .option('--dry-run', 'plan and print, write nothing')
    .option('--plan <runId>', 'apply only the plan reviewed in this earlier run (a diff); refuse if it changed since')
    .option('--continue-on-error', 'keep going after a failed change (CONTINUE_ON_FAILURE for this run)')
    .option('--no-continue-on-error', 'stop after the stage with the first failure, unless the config sets CONTINUE_ON_FAILURE (default)')
    .option('--allow-rowcount-drop', "infrahub-sync's name for --force: apply a plan the delete guardrails refuse")
    .option('--no-allow-rowcount-drop', 'keep the guardrails (default)')
    .option('--parallel', 'accepted: stages always follow the reference tiers, with or without `order`')
    .option('--no-parallel', 'accepted: same as --parallel here')
    .action(async (_opts, cmd: Command) => setCode(await runCommand('sync', withGlobals<RunOptions>(cmd), io)));

  configOptions(program.command('apply').description("apply the plan a reviewed diff saved (infrahub-sync 2's apply; our sync --plan)"))
    .requiredOption('--run-id <id>', 'the diff run whose plan to apply (or a unique prefix of its id)')
    .option('--branch <branch>', 'Infrahub branch (default: the one the diff used)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--force', 'apply even when a guardrail (mass delete, empty source) would stop it')
    .option('--store <dir>', 'run history folder', '.runs')
    .option('--workers <n>', 'concurrent apply workers', '4')
    .option('--diff', 'print every difference before applying')
    .option('--show-progress', 'show progress (default)')
    .option('--no-show-progress', 'print no progress, only the result')
    .action(async (_opts, cmd: Command) => {
      const opts = withGlobals<RunOptions & { runId: string }>(cmd);
      setCode(await runCommand('sync', { ...opts, plan: opts.runId, runId: undefined, diff: opts.diff ?? false }, io));
    });

  const configs = program.command('configs').description('manage the configs of an AWS deployment');
  configOptions(configs.command('push').description('validate configs and upload them to the deployment bucket (configs/<name>.yml)'))
    .requiredOption('--bucket <bucket>', 'the deployment bucket (stack output BucketName)')
    .option('--prefix <prefix>', 'key prefix inside the bucket')
    .option('--all', 'push every config found under --directory (not those under tests/ or fixtures/ folders)')
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
