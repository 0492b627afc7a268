import { describe, expect, it } from 'vitest';
import { collectSecrets, isSecretKey, printableConfig, redactSettings, redactText } from '../../../shared/config/redact.js';
import { parseConfig } from '../../../shared/config/load.js';

describe('redaction', () => {
  it('recognises secret keys, and leaves look-alikes alone', () => {
    for (const key of ['token', 'api_token', 'X-Auth-Token', 'password', 'PASSWD', 'client_secret', 'api_key', 'apikey', 'key', 'private_key', 'accessKey', 'Authorization', 'credentials', 'auth']) {
      expect(isSecretKey(key), key).toBe(true);
    }
    for (const key of ['url', 'username', 'auth_method', 'response_key_pattern', 'keyboard', 'monkey', 'timeout']) {
      expect(isSecretKey(key), key).toBe(false);
    }
  });

  it('masks deeply, keeps null and ${VAR} references, masks URL passwords', () => {
    const input = {
      url: 'https://admin:hunter2@nb.example/api',
      token: 'abc123',
      password: null,
      headers: { Authorization: 'Token abc123', Accept: 'application/json' },
      credentials: { user: 'u', pass: 'p' },
      api_key: '${API_KEY}',
      secret: '${A:-literal-default}',
      nested: [{ token: 42 }],
    };
    expect(redactSettings(input)).toEqual({
      url: 'https://admin:***@nb.example/api',
      token: '***',
      password: null,
      headers: { Authorization: '***', Accept: 'application/json' },
      credentials: '***',
      api_key: '${API_KEY}',
      secret: '***',
      nested: [{ token: '***' }],
    });
    expect(input.token).toBe('abc123');
  });

  it('collects secret values and masks them in free text, URL-encoded too', () => {
    const secrets = collectSecrets({ url: 'http://u:p%40ss@h', auth: { token: 'a/b c', other: 'x' }, api_key: '${K}' });
    expect(secrets.sort()).toEqual(['a/b c', 'p%40ss', 'x'].sort());
    expect(redactText('401 for token a/b c (sent a%2Fb%20c) via http://u:p%40ss@h', secrets)).toBe(
      '401 for token *** (sent ***) via http://u:***@h',
    );
    expect(redactText('nothing to hide', ['', 'zzz'])).toBe('nothing to hide');
  });

  it('printableConfig masks source, destination and store settings', () => {
    const loaded = parseConfig(
      `name: d
store: {type: redis, settings: {password: r3dis-pass}}
source: {name: nautobot, settings: {url: "http://127.0.0.1:1", token: n4utobot-token}}
destination: {name: infrahub, settings: {url: "http://127.0.0.1:2", token: "\${INFRAHUB_API_TOKEN}"}}
schema_mapping: []
`,
      'config.yml',
    );
    const text = JSON.stringify(printableConfig(loaded));
    expect(text).not.toContain('r3dis-pass');
    expect(text).not.toContain('n4utobot-token');
    expect(text).toContain('${INFRAHUB_API_TOKEN}');
    expect(text).toContain('http://127.0.0.1:1');
    expect(loaded.config.source.settings.token).toBe('n4utobot-token');
  });
});
