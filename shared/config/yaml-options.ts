// How configs are read, shared by loading and listing so both see the same data.
// Upstream reads configs with PyYAML: YAML 1.1 (`yes`/`on` are booleans), `<<` merge keys, and a
// repeated key silently replaces the earlier one (we accept it too, and warn).
export const YAML_OPTIONS = { version: '1.1', merge: true, uniqueKeys: false, prettyErrors: false } as const;

// Aliases expanding into more nodes than this are refused (a "billion laughs" YAML).
export const MAX_ALIAS_COUNT = 1000;
