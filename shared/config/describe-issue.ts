// Turns zod's issues into messages written for the person editing the YAML:
// `expected one of "==", "!=", ... but got "equals"` rather than zod's generic wording.
import type { z } from 'zod';
import type { ConfigPath } from './source-map.js';
import { didYouMean } from './suggest.js';

export interface Finding {
  path: ConfigPath;
  message: string;
  /** Point at the key (unknown/duplicate keys) or at the value (everything else). */
  at: 'key' | 'value';
  /** Offset inside a string value (a template's syntax error), to point at the character. */
  offset?: number;
}

export function describeIssue(issue: z.core.$ZodIssue, raw: unknown): Finding {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  const value = valueAt(raw, path);
  switch (issue.code) {
    case 'invalid_type': {
      if (value === undefined) {
        return {
          path: path.slice(0, -1),
          message: `missing required key \`${String(path[path.length - 1])}\``,
          at: 'value',
        };
      }
      return finding(path, `expected ${typeName(issue.expected)} but got ${describeValue(value, path)}`);
    }
    case 'invalid_value': {
      const options = issue.values.map((v) => JSON.stringify(v));
      const hint = typeof value === 'string' ? didYouMean(value, issue.values.map(String)) : '';
      return finding(path, `expected one of ${options.join(', ')} but got ${describeValue(value, path)}${hint}`);
    }
    case 'too_small':
      return finding(path, `expected a number ${issue.inclusive ? '>=' : '>'} ${String(issue.minimum)} but got ${describeValue(value, path)}`);
    case 'too_big':
      return finding(path, `expected a number ${issue.inclusive ? '<=' : '<'} ${String(issue.maximum)} but got ${describeValue(value, path)}`);
    default:
      return finding(path, issue.message);
  }
}

function finding(path: ConfigPath, message: string): Finding {
  return { path, message, at: 'value' };
}

function typeName(expected: string): string {
  switch (expected) {
    case 'array':
      return 'a list';
    case 'object':
    case 'record':
      return 'a mapping';
    case 'boolean':
      return 'true or false';
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    default:
      return expected;
  }
}

// Adapter and store blocks may hold tokens and passwords, even misplaced ones.
const SENSITIVE_ROOTS = new Set<unknown>(['source', 'destination', 'store']);

/**
 * A short, safe rendering of what the user wrote. Inside source, destination and store only the
 * type is shown: those values may be secrets.
 */
export function describeValue(value: unknown, path: ConfigPath): string {
  const kind =
    value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'a mapping' : `a ${typeof value}`;
  if (value === null || typeof value === 'object') return kind;
  if (SENSITIVE_ROOTS.has(path[0]) && typeof value !== 'boolean') return kind;
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

export function valueAt(root: unknown, path: ConfigPath): unknown {
  let node = root;
  for (const segment of path) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, segment)) return undefined;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return node;
}
