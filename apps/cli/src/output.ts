/**
 * Where the CLI writes. Results go to stdout (so they can be piped); progress, notes and errors go
 * to stderr. Colour and transient progress lines only when a person is looking at a terminal.
 */
export interface Output {
  out(text: string): void;
  err(text: string): void;
  /** ANSI colours on stdout. */
  readonly color: boolean;
  /** stderr is a terminal: progress lines can be redrawn in place. */
  readonly errIsTerminal: boolean;
}

export function processOutput(environment: NodeJS.ProcessEnv = process.env): Output {
  // `ambient sessions watch … | head`: the reader left; stop quietly like other Unix tools do.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  const noColor = environment['NO_COLOR'] !== undefined && environment['NO_COLOR'] !== '';
  return {
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
    color: Boolean(process.stdout.isTTY) && !noColor,
    errIsTerminal: Boolean(process.stderr.isTTY),
  };
}

/**
 * A progress note on stderr ("waiting for the runner…"). On a terminal it is one line redrawn in
 * place and erased when the work starts; in logs it is printed once per distinct message.
 */
export class Progress {
  private shown: string | undefined;

  constructor(private readonly output: Output) {}

  show(text: string): void {
    if (this.shown === text) return;
    this.shown = text;
    if (this.output.errIsTerminal) this.output.err(`\r\x1b[2K${text}`);
    else this.output.err(`${text}\n`);
  }

  clear(): void {
    if (this.shown === undefined) return;
    this.shown = undefined;
    if (this.output.errIsTerminal) this.output.err('\r\x1b[2K');
  }
}
