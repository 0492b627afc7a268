// infrahub-sync's verbosity switches (-v, -q, --verbosity) and what they show here.
import type { LogFields, Logger } from '../log.js';
import { redactor } from './errors.js';
import type { CliIO } from './io.js';

export type Verbosity = 'quiet' | 'default' | 'verbose';

export interface GlobalOptions {
  verbose?: boolean;
  quiet?: boolean;
  verbosity?: Verbosity;
}

/** As infrahub-sync: -q wins over -v, and either over --verbosity. */
export function verbosityOf(o: GlobalOptions): Verbosity {
  if (o.quiet) return 'quiet';
  if (o.verbose) return 'verbose';
  return o.verbosity ?? 'default';
}

// Fields the line itself says, or that identify rather than explain.
const UNSAID = new Set(['runId', 'messageId']);

/** `message (key=value, ...)` with the fields the message does not already say. */
export function logLine(message: string, fields?: LogFields): string {
  if (!fields) return message;
  const extra: string[] = [];
  for (const [k, v] of Object.entries(fields)) {
    if (UNSAID.has(k) || v === undefined || Array.isArray(v)) continue;
    const text = typeof v === 'string' ? v : JSON.stringify(v);
    if (message.includes(text)) continue;
    extra.push(`${k}=${text}`);
  }
  return extra.length > 0 ? `${message} (${extra.join(', ')})` : message;
}

/**
 * The run's log on stderr: warnings always, everything with --verbose. Warnings are also kept for
 * the JSON output.
 */
export function stderrLogger(io: CliIO, sink: string[], verbosity: Verbosity): Logger {
  const shown = new Set(verbosity === 'verbose' ? ['debug', 'info', 'warn', 'error'] : ['warn']);
  // Errors quoted in a log line (a retried request's) may carry a secret, like any error.
  const redact = redactor(io);
  const line = (level: string) => (message: string, fields?: LogFields) => {
    // The error that ended the run is what the CLI prints last; this line would say it first too.
    if (level === 'error' && message === 'run failed') return;
    const text = redact(logLine(message, fields));
    if (level === 'warn') sink.push(text);
    if (shown.has(level)) io.err(`${level}: ${text}\n`);
  };
  return { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };
}
