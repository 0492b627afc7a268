import { describe, expect, it } from 'vitest';
import { ENV_OVERRIDES, expandSettings, expandString, settingWithEnv } from '../../../shared/config/env.js';
import { parseConfig } from '../../../shared/config/load.js';

describe('env expansion', () => {
  const env = { TOKEN: 'tok-123', HOST: 'nb.example', EMPTY: '' };

  it('expands ${VAR} and the two default forms', () => {
    expect(expandString('https://${HOST}/api', env)).toBe('https://nb.example/api');
    expect(expandString('${NOPE:-fallback}', env)).toBe('fallback');
    expect(expandString('${EMPTY:-fallback}', env)).toBe('fallback');
    expect(expandString('${EMPTY-fallback}', env)).toBe('');
    expect(expandString('${NOPE-fallback}', env)).toBe('fallback');
    expect(expandString('${HOST:-other}', env)).toBe('nb.example');
  });

  it('leaves bare $VAR, $$ and unfinished placeholders alone; $${ is a literal ${', () => {
    expect(expandString('pa$$word$TOKEN', env)).toBe('pa$$word$TOKEN');
    expect(expandString('$${TOKEN}', env)).toBe('${TOKEN}');
    expect(expandString('${TOKEN', env)).toBe('${TOKEN');
  });

  it('expands deeply, reports missing variables once, and does not modify the input', () => {
    const settings = {
      url: 'http://${HOST}:${PORT}',
      token: '${TOKEN}',
      headers: { 'X-Other': '${OTHER}', list: ['${PORT}', 3] },
      verify: false,
    };
    const before = structuredClone(settings);
    const { value, missing } = expandSettings(settings, env);
    expect(value).toEqual({
      url: 'http://nb.example:',
      token: 'tok-123',
      headers: { 'X-Other': '', list: ['', 3] },
      verify: false,
    });
    expect(missing).toEqual(['OTHER', 'PORT']);
    expect(settings).toEqual(before);
  });

  it('parsing keeps placeholders as written (expansion happens when an adapter is made)', () => {
    const { config } = parseConfig(
      'name: d\nsource: {name: netbox, settings: {token: "${NETBOX_TOKEN}"}}\ndestination: {name: infrahub}\nschema_mapping: []\n',
      'config.yml',
    );
    expect(config.source.settings.token).toBe('${NETBOX_TOKEN}');
  });
});

describe('settingWithEnv (upstream precedence: a non-empty variable wins over the setting)', () => {
  const settings = { url: 'http://from-config', token: 'config-token', port: 8080, empty: '' };

  it('the first non-empty variable wins', () => {
    const env = { NETBOX_ADDRESS: '', NETBOX_URL: 'http://from-env' };
    expect(settingWithEnv(settings, 'url', ENV_OVERRIDES.netbox.url, env)).toBe('http://from-env');
    expect(settingWithEnv(settings, 'url', ENV_OVERRIDES.netbox.url, { ...env, NETBOX_ADDRESS: 'http://addr' })).toBe(
      'http://addr',
    );
  });

  it('falls back to the setting, then to undefined', () => {
    expect(settingWithEnv(settings, 'token', ENV_OVERRIDES.nautobot.token, {})).toBe('config-token');
    expect(settingWithEnv(settings, 'port', [], {})).toBe('8080');
    expect(settingWithEnv(settings, 'empty', [], {})).toBeUndefined();
    expect(settingWithEnv(settings, 'missing', ENV_OVERRIDES.infrahub.token, { INFRAHUB_API_TOKEN: '' })).toBeUndefined();
  });

  it('lists the variables upstream reads', () => {
    expect(ENV_OVERRIDES.infrahub).toEqual({ url: ['INFRAHUB_ADDRESS', 'INFRAHUB_URL'], token: ['INFRAHUB_API_TOKEN'] });
    expect(ENV_OVERRIDES.nautobot.url).toEqual(['NAUTOBOT_ADDRESS', 'NAUTOBOT_URL']);
  });
});
