import { describe, expect, it } from 'vitest';
import { parseConfigDocument } from '../../../shared/config/yaml-options.js';

describe('parseConfigDocument', () => {
  it('gives process.env back as it was, the same object with the same values, also when the YAML is bad', () => {
    const env = process.env;
    env.YAML_ENV_PROBE = 'kept';
    try {
      const good = parseConfigDocument('name: x\nstatic: n\nenabled: yes\n');
      expect(good.toJS()).toEqual({ name: 'x', static: 'n', enabled: true });
      expect(process.env).toBe(env);
      const bad = parseConfigDocument('a: [1, 2\n');
      expect(bad.errors.length).toBeGreaterThan(0);
      expect(process.env).toBe(env);
      expect(process.env.YAML_ENV_PROBE).toBe('kept');
    } finally {
      delete env.YAML_ENV_PROBE;
    }
  });
});
