import { describe, expect, it } from 'vitest';
import { isValidName, nameProblem, prefixProblem } from '../../../shared/config/names.js';
import { parseConfig } from '../../../shared/config/load.js';
import { ConfigError } from '../../../shared/errors.js';
import { runMessageSchema } from '../../../shared/runtime/run/messages.js';

const valid = ['file-demo', 'from-netbox', 'nautobot-v2_to_infrahub', 'a', '0', 'x.y', 'A'.repeat(64)];
const invalid = [
  '', '.', '..', '../../../tmp/evil', 'a/b', 'a\\b', '/abs', '.hidden', '-rf', '_x', 'a..b', 'a\nb', 'a\rb',
  'a b', 'a\u001b[2K', 'a\u202eb', 'a\u200bb', 'é', 'A'.repeat(65), 'name\u0000',
];

describe('the config name rule (one rule for config, CLI, trigger, webhook, messages)', () => {
  it.each(valid)('accepts %j', (name) => expect(nameProblem(name)).toBeUndefined());
  it.each(invalid)('refuses %j', (name) => {
    expect(isValidName(name)).toBe(false);
    // The message shows the name JSON-quoted, so whatever it holds is visible.
    expect(nameProblem(name)).toMatch(/1 to 64 characters/);
  });

  it('a key prefix is names joined by "/", a trailing "/" allowed', () => {
    for (const p of ['tenant-a', 'tenant-a/', 'org/tenant-a', 'org/tenant-a/']) expect(prefixProblem(p)).toBeUndefined();
    for (const p of ['../../', '..', '/abs', 'a//b', 'a/../b', 'a/./b', 'a\nb', '', '/']) expect(prefixProblem(p)).toMatch(/not a valid key prefix/);
  });

  it('a config named outside the rule does not validate, with file:line', () => {
    const text = 'name: ../../../tmp/evil\nsource: {name: file, settings: {path: .}}\ndestination: {name: file, settings: {path: .}}\n';
    let error: unknown;
    try {
      parseConfig(text, 'evil.yml');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.join('\n')).toMatch(/^evil\.yml:1:7: name: "\.\.\/\.\.\/\.\.\/tmp\/evil" is not a valid name/m);
  });

  it('run messages with such a name are malformed', () => {
    const msg = (name: string) => ({ type: 'diff', run: { name, runId: '20260101T000000Z-abcdef' } });
    expect(runMessageSchema.safeParse(msg('file-demo')).success).toBe(true);
    for (const name of ['..', 'a/b', 'a\nb']) expect(runMessageSchema.safeParse(msg(name)).success).toBe(false);
    // A run id given with --run-id (review-1, nightly_2.a) travels too; one that is a path does not.
    const withId = (runId: string) => ({ type: 'diff', run: { name: 'file-demo', runId } });
    for (const id of ['review-1', 'nightly_2.a']) expect(runMessageSchema.safeParse(withId(id)).success).toBe(true);
    for (const id of ['..', 'a/b', '.x']) expect(runMessageSchema.safeParse(withId(id)).success).toBe(false);
  });
});
