// The config package's public surface.
export { configChecksum, canonicalJson } from './checksum.js';
export { findConfigByName, findConfigs, scanConfigs, type ConfigListing, type ConfigScan } from './discover.js';
export { ENV_OVERRIDES, expandSettings, expandString, settingWithEnv, type Env } from './env.js';
export { formatWarning, INLINE_FILE, loadConfigFile, parseConfig, type ParseOptions } from './load.js';
export { collectSecrets, isSecretKey, printableConfig, redactSettings, redactText, REDACTED } from './redact.js';
export { GUARDRAIL_DEFAULTS, SyncConfigSchema } from './schema.js';
export { closestMatch, didYouMean, editDistance } from './suggest.js';
export * from './types.js';
