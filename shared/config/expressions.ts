// Templates and regular expressions compiled when the config is loaded, so `validate` (and every
// run, before loading any data) reports a syntax error, an unknown filter or test, or a regex the
// linear-time engine cannot run, at its file:line:column, instead of the first record failing
// mid-run. The same compilers run again when the mapping is built; nothing here is cached.
import { ConfigError } from '../errors.js';
import { compileFilters } from '../mapping/filters.js';
import { compileTemplate } from '../mapping/jinja/compile.js';
import { TemplateSyntaxError, UnknownNameError } from '../mapping/jinja/parser.js';
import { BUILTIN_ADAPTERS } from './adapters.js';
import type { Finding } from './describe-issue.js';
import type { SyncConfig } from './types.js';
import type { Findings } from './validate.js';

/**
 * Compiles every filter and transform. An unknown Jinja filter is an error, except in a config
 * whose source adapter this tool lacks: upstream adapters define filters of their own (ACI's
 * `aci_device_name`), and such a config already cannot run here, which validate warns about.
 */
export function checkExpressions(config: SyncConfig): Findings {
  const found: Finding[] = [];
  const warnings: Finding[] = [];
  const foreignSource = !BUILTIN_ADAPTERS.includes(config.source.name);
  config.schema_mapping.forEach((entry, i) => {
    entry.filters.forEach((filter, j) => {
      try {
        compileFilters([filter], { model: entry.name, entryIndex: i });
      } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
        found.push({ path: ['schema_mapping', i, 'filters', j, 'value'], message: e.message, at: 'value' });
      }
    });
    entry.transforms.forEach((transform, j) => {
      const path = ['schema_mapping', i, 'transforms', j, 'expression'];
      try {
        compileTemplate(transform.expression);
      } catch (e) {
        if (e instanceof UnknownNameError && e.kind === 'filter' && foreignSource) {
          warnings.push({
            path,
            message: `${e.message}: not a Jinja2 filter; the ${config.source.name} adapter of infrahub-sync may define it, and that adapter is not available here`,
            at: 'value',
            offset: e.offset,
          });
        } else if (e instanceof TemplateSyntaxError) {
          found.push({ path, message: `template error: ${e.message}`, at: 'value', offset: e.offset });
        } else throw e;
      }
    });
  });
  return { errors: found, warnings };
}
