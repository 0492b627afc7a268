// Error classes shared by every layer; the CLI maps them to exit codes (2 config/usage, 1 runtime).
import { escapeValue } from './escape.js';

export interface ErrorLocation {
  file?: string;
  line?: number;
  column?: number;
  /** YAML path such as `schema_mapping[3].fields[0].mapping`. */
  path?: string;
}

/** A problem with the user's config or invocation. Exit code 2. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    message: string,
    readonly location: ErrorLocation = {},
    readonly problems: string[] = [],
  ) {
    super(message);
  }
}

/** A failure talking to a system (auth, unreachable, protocol). Exit code 1. */
export class AdapterError extends Error {
  override readonly name = 'AdapterError';
  constructor(
    readonly system: string,
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(`${system}: ${message}`, options);
  }
}

/** A model's load failed because two records of one side produced the same key. Exit code 1. */
export class DuplicateKeyError extends Error {
  override readonly name = 'DuplicateKeyError';
  constructor(
    readonly model: string,
    readonly duplicates: { key: string; localIds: string[] }[],
    readonly side: 'source' | 'destination' = 'source',
  ) {
    super(
      `${model}: ${duplicates.length} key(s) produced by more than one ${side} record` +
        (side === 'destination'
          ? ' (the destination holds nodes the identifiers do not tell apart; ids are its node ids)'
          : '') +
        ': ' +
        duplicates
          .slice(0, 20)
          .map((d) => `${escapeValue(d.key)} (ids ${d.localIds.map(escapeValue).join(', ')})`)
          .join('; ') +
        (duplicates.length > 20 ? `; and ${duplicates.length - 20} more` : ''),
    );
  }
}

/** A sync bound to a reviewed plan found a different plan: nothing was written. Exit code 1. */
export class PlanChangedError extends Error {
  override readonly name = 'PlanChangedError';
  constructor(
    readonly reviewedRun: string,
    message: string,
  ) {
    super(message);
  }
}

/** Source records with different keys that the destination would hold as one node. Exit code 1. */
export class MatchCollisionError extends Error {
  override readonly name = 'MatchCollisionError';
  constructor(
    readonly model: string,
    /** `by`: the destination identity they share (an hfid, a uniqueness constraint, an IPAM identity). */
    readonly collisions: { value: string; keys: string[]; by: string }[],
  ) {
    const by = [...new Set(collisions.map((c) => c.by))];
    super(
      `${model}: ${collisions.length} group(s) of source records with different keys would be written into one ` +
        `destination node, which the destination identifies by its ${by.join(' and by its ')}: ` +
        collisions
          .slice(0, 20)
          .map((c) => `${escapeValue(c.value)} <- ${c.keys.map(escapeValue).join(', ')}`)
          .join('; ') +
        (collisions.length > 20 ? `; and ${collisions.length - 20} more` : '') +
        `. Nothing was written. Tell them apart in the destination (a uniqueness constraint or human-friendly id ` +
        `on ${model} that includes what differs between them), or make those values unique in the source`,
    );
  }
}

/** The plan would delete too much, or a source model came back empty. Exit code 1 unless --force. */
export class GuardrailError extends Error {
  override readonly name = 'GuardrailError';
  constructor(
    message: string,
    readonly violations: { model: string; reason: string; wouldDelete: string[] }[],
  ) {
    super(message);
  }
}
