// Where the CLI writes. Commands take this instead of touching process.stdout, so tests can
// run them in-process and read what a user would see.
import { escapeText } from '../escape.js';

export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  /** A terminal control sequence of this program's own (the progress line's clear), written to
   *  stderr as is; out() and err() escape every control character they are given. */
  control?(sequence: string): void;
  /** stderr is a terminal: show a live progress bar instead of one-line summaries. */
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export function processIO(): CliIO {
  return {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    isTTY: Boolean(process.stderr.isTTY),
    env: process.env,
    cwd: process.cwd(),
  };
}

export class ExitError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The CLI's last line of defence: whatever a command prints, control, bidirectional and other
 * invisible characters reach the terminal escaped (shared/escape.ts). Line breaks and tabs pass,
 * and a JSON document stays the same JSON. Values are escaped where they are formatted too
 * (so a line break inside one cannot start a line); this catches what a formatter missed.
 */
export function terminalSafe(io: CliIO): CliIO {
  return {
    out: (t) => io.out(escapeText(t)),
    err: (t) => io.err(escapeText(t)),
    control: (seq) => (io.control ? io.control(seq) : io.err(seq)),
    get isTTY() {
      return io.isTTY;
    },
    env: io.env,
    cwd: io.cwd,
  };
}
