// How configs are read, shared by loading and listing so both see the same data.
// Upstream reads configs with PyYAML: YAML 1.1 (`yes`/`on`/`off` are booleans, `<<` merges), and a
// repeated key silently replaces the earlier one (we accept it too, and warn).
import { parseDocument, type Document, type DocumentOptions, type ParseOptions, type ScalarTag, type SchemaOptions, type Tags } from 'yaml';

const BOOL_TAG = 'tag:yaml.org,2002:bool';

// The `yaml` package's 1.1 schema also reads y/Y/n/N as booleans; PyYAML does not, and a config
// with `static: n` must mean the string "n" here as it does upstream.
const PYYAML_TRUE = /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/;
const PYYAML_FALSE = /^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/;

function pyyamlBooleans(tags: Tags): Tags {
  return tags.map((tag): Tags[number] => {
    if (typeof tag === 'string' || tag.tag !== BOOL_TAG || !(tag.test instanceof RegExp)) return tag;
    const scalar: ScalarTag = { ...(tag as ScalarTag), test: tag.test.test('true') ? PYYAML_TRUE : PYYAML_FALSE };
    return scalar;
  });
}

export const YAML_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = {
  version: '1.1',
  merge: true,
  uniqueKeys: false,
  prettyErrors: false,
  customTags: pyyamlBooleans,
};

// Aliases expanding into more nodes than this are refused (a "billion laughs" YAML).
export const MAX_ALIAS_COUNT = 1000;

/**
 * `parseDocument` with YAML_OPTIONS (and `extra`, such as a LineCounter). The `yaml` parser reads
 * `process.env.LOG_TOKENS` once per token, and process.env is not a plain object: each read asks
 * the operating system's environment, a fifth of the parse time of a large config (5,000 models,
 * 1.2 MB: 1.75 s against 1.35 s). A plain copy stands in for it while the parse runs; the parse
 * is synchronous, so nothing else in this thread sees the copy, and the same values are there.
 */
export function parseConfigDocument(text: string, extra: ParseOptions = {}): Document.Parsed {
  const env = process.env;
  process.env = { ...env };
  try {
    return parseDocument(text, { ...YAML_OPTIONS, ...extra });
  } finally {
    process.env = env;
  }
}
