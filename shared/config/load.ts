// Reads a sync config: YAML (read as upstream's PyYAML does, see yaml-options.ts) -> zod schema
// -> cross-field checks. Every problem carries file:line:col and is
// reported together with all the others, so one edit-and-retry cycle fixes them all.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { LineCounter, type YAMLError } from 'yaml';
import { ConfigError } from '../errors.js';
import { describeIssue, type Finding } from './describe-issue.js';
import { SyncConfigSchema } from './schema.js';
import { formatPath, SourceMap, type SourcePosition } from './source-map.js';
import type { ConfigWarning, LoadedConfig } from './types.js';
import { checkExpressions } from './expressions.js';
import { checkConfig, findUnknownKeys } from './validate.js';
import { MAX_ALIAS_COUNT, parseConfigDocument } from './yaml-options.js';

export { findConfigByName, findConfigs, scanConfigs } from './discover.js';

export interface ParseOptions {
  /** Unknown and duplicate keys become errors instead of warnings. */
  strict?: boolean;
}

export const INLINE_FILE = '<inline>';

/**
 * Parses config text. `file` is used as written in messages (pass what the user typed) and made
 * absolute for `LoadedConfig.file`. Throws ConfigError listing every problem found.
 */
export function parseConfig(text: string, file: string, opts: ParseOptions = {}): LoadedConfig {
  const isInline = file === INLINE_FILE;
  const absolute = isInline ? file : path.resolve(file);
  const dir = isInline ? process.cwd() : path.dirname(absolute);

  const lineCounter = new LineCounter();
  const doc = parseConfigDocument(text, { lineCounter });
  if (doc.errors.length > 0) {
    throw problemsError(file, doc.errors.map((error) => yamlProblem(file, error, lineCounter)));
  }
  const warnings: ConfigWarning[] = doc.warnings.map((warning) => {
    const { line, column } = yamlPosition(warning, lineCounter);
    return { file, line, column, path: '', message: warning.message };
  });

  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    throw new ConfigError(`${file}: ${(error as Error).message}`, { file }, [`${file}: ${(error as Error).message}`]);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    const problem = `${file}:1:1: expected a mapping with name, source, destination and schema_mapping`;
    throw new ConfigError(problem, { file, line: 1, column: 1 }, [problem]);
  }

  const map = new SourceMap(doc, lineCounter, text);
  const errors: Located[] = [];
  // Unknown and duplicate keys: warnings unless strict. They also join any error report, since a
  // misspelt key (`mapp:`) is often the cause of the error next to it ("needs one of mapping...").
  const keyFindings: Located[] = [];
  const place = (finding: Finding): Located => locate(file, finding, map);
  const lenient = (finding: Finding): void => {
    if (opts.strict) errors.push(place(finding));
    else keyFindings.push(place(finding));
  };

  findUnknownKeys(raw).forEach(lenient);
  for (const duplicate of map.duplicateKeys()) {
    lenient({
      path: duplicate,
      message: `key \`${String(duplicate[duplicate.length - 1])}\` appears more than once; the last one is used`,
      at: 'key',
    });
  }

  const parsed = SyncConfigSchema.safeParse(raw);
  if (!parsed.success) errors.push(...parsed.error.issues.map((issue) => place(describeIssue(issue, raw))));
  const checked = checkConfig(raw);
  errors.push(...checked.errors.map(place));
  // Only a config of the right shape can be compiled; shape errors come first.
  if (parsed.success) {
    const compiled = checkExpressions(parsed.data);
    errors.push(...compiled.errors.map(place));
    warnings.push(...compiled.warnings.map((finding) => toWarning(place(finding))));
  }
  warnings.push(...checked.warnings.map((finding) => toWarning(place(finding))));
  if (!parsed.success || errors.length > 0) throw problemsError(file, [...errors, ...keyFindings]);

  warnings.push(...keyFindings.map(toWarning));
  return { config: parsed.data, file: absolute, dir, warnings: sortByPosition(warnings) };
}

/** Reads and parses a config file; relative settings paths resolve from its folder. */
export async function loadConfigFile(file: string, opts: ParseOptions = {}): Promise<LoadedConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new ConfigError(`${file}: ${reason}`, { file }, [`${file}: ${reason}`]);
  }
  return parseConfig(text, file, opts);
}

/** `config.yml:42:7: schema_mapping[3].filters[0].operation: expected ...` */
export function formatWarning(warning: ConfigWarning): string {
  return formatLine({ ...warning });
}

interface Located {
  file: string;
  line?: number;
  column?: number;
  path: string;
  message: string;
}

function locate(file: string, finding: Finding, map: SourceMap): Located {
  let message = finding.message;
  let position: SourcePosition | undefined;
  if (finding.at === 'key') position = map.keyAt(finding.path);
  else if (finding.offset !== undefined) {
    position = map.charAt(finding.path, finding.offset);
    // The value is written in a way (escapes, folding) that its characters cannot be placed.
    if (position === undefined) {
      position = map.valueAt(finding.path);
      message += ` (at character ${finding.offset + 1} of the value)`;
    }
  } else position = map.valueAt(finding.path);
  return { file, line: position?.line, column: position?.column, path: formatPath(finding.path), message };
}

function toWarning(located: Located): ConfigWarning {
  return { ...located };
}

function formatLine(item: Located): string {
  const where = item.line === undefined ? item.file : `${item.file}:${item.line}:${item.column ?? 1}`;
  return item.path === '' ? `${where}: ${item.message}` : `${where}: ${item.path}: ${item.message}`;
}

function sortByPosition<T extends { line?: number; column?: number }>(items: T[]): T[] {
  return [...items].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}

function problemsError(file: string, items: Located[]): ConfigError {
  const sorted = sortByPosition(items);
  const problems = sorted.map(formatLine);
  const first = sorted[0];
  return new ConfigError(
    problems.join('\n'),
    { file, line: first?.line, column: first?.column, path: first?.path || undefined },
    problems,
  );
}

function yamlPosition(error: YAMLError, lines: LineCounter): { line: number; column: number } {
  const { line, col } = lines.linePos(error.pos[0]);
  return { line, column: col };
}

function yamlProblem(file: string, error: YAMLError, lines: LineCounter): Located {
  const { line, column } = yamlPosition(error, lines);
  return { file, line, column, path: '', message: error.message };
}
