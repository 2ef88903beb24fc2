/** What kind of failure a `StudioError` is; transports pass it to the renderer as `code`. */
export type ErrorCode =
  | 'invalid-payload'
  | 'unknown-channel'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'unsupported'
  | 'io'
  | 'bad-input'
  | 'parity'
  | 'cancelled'
  | 'internal';

/** An error whose message is written for the person using the studio. */
export class StudioError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'StudioError';
  }
}
