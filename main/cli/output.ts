/** Where a command writes: human lines, or one JSON object per line with `--json`. */
export interface Output {
  json: boolean;
  /** A progress or event line: printed as JSON with --json, as text otherwise. */
  event(value: Record<string, unknown>, text: string): void;
  /** The command's result: the last line with --json. */
  result(value: unknown, text: string): void;
}

/** Output to the process's stdout. */
export function createOutput(
  json: boolean,
  write: (line: string) => void = (l) => process.stdout.write(l + '\n'),
): Output {
  return {
    json,
    event: (value, text) => write(json ? JSON.stringify(value) : text),
    result: (value, text) => write(json ? JSON.stringify(value) : text),
  };
}

/** A failure with a one-line reason; the CLI prints it and exits with `exitCode`. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}
