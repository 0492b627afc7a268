// One rule for a config's name wherever a name becomes part of a key, a path or a URL: the
// config's `name:`, `configs push` (configs/<name>.yml), the trigger's and the webhook's `name`,
// run messages, `--name` of the run history commands. A name the trigger cannot run must not
// be pushable, and a name that could climb out of its folder must not validate.
//
// The rule: 1 to 64 characters, ASCII letters, digits, ".", "_" and "-"; the first one a letter
// or a digit (so no leading dot, dash or underscore: no hidden file, nothing read as an option);
// no ".." anywhere. So no "/", no "\", no whitespace, no control or invisible characters. Every
// example config of infrahub-sync fits (`from-netbox`, `nautobot-v2_to_infrahub`).
//
// A key prefix (`--prefix`, STORE_PREFIX) is one or more such segments joined by "/" (a
// trailing "/" is tolerated, as S3 users write it).

export const NAME_RULE =
  'a name is 1 to 64 characters: ASCII letters, digits, ".", "_" and "-", starting with a letter or a digit, with no ".."';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Why `name` is not a valid config name, or undefined when it is. */
export function nameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string') return `expected a string (${NAME_RULE})`;
  if (name === '') return `the name is empty (${NAME_RULE})`;
  if (!NAME.test(name) || name.includes('..')) return `${JSON.stringify(name)} is not a valid name: ${NAME_RULE}`;
  return undefined;
}

export function isValidName(name: unknown): name is string {
  return nameProblem(name) === undefined;
}

/** Why `prefix` is not a valid key prefix, or undefined when it is. */
export function prefixProblem(prefix: unknown): string | undefined {
  if (typeof prefix !== 'string') return 'expected a string';
  const trimmed = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  if (trimmed.split('/').every(isValidName)) return undefined;
  return `${JSON.stringify(prefix)} is not a valid key prefix: one or more names joined by "/", where ${NAME_RULE}`;
}

// A mapped model's name (schema_mapping[].name, the destination kind) travels in run messages
// and names snapshot keys and the file adapter's files. Infrahub kinds are namespace + name in
// letters and digits (`InfraDevice`, `BuiltinTag`); the rule allows those and `_`, from a letter
// (so no `__proto__`, which as an object key would not be a key).
export const MODEL_RULE = 'a model name (the destination kind) is 1 to 100 ASCII letters, digits or "_", starting with a letter';
const MODEL = /^[A-Za-z][A-Za-z0-9_]{0,99}$/;

export function modelNameProblem(name: unknown): string | undefined {
  if (typeof name === 'string' && MODEL.test(name)) return undefined;
  return `${JSON.stringify(name)} is not a valid model name: ${MODEL_RULE}`;
}

export function isValidModelName(name: unknown): name is string {
  return modelNameProblem(name) === undefined;
}

// A run id: generated ones read 20260712T174501Z-3f9a1c; `--run-id` may name one, within this.
const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export function isValidRunId(id: unknown): id is string {
  return typeof id === 'string' && RUN_ID.test(id);
}
