// Where the CLI writes. Commands take this instead of touching process.stdout, so tests can
// run them in-process and read what a user would see.
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
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
