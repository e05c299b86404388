/** Failures of an API call, as the UI tells them apart. */

/** The server answered with an envelope code other than 200 (or with something that is no envelope). */
export class ApiError extends Error {
  constructor(
    /** Envelope code (`ResultCode`), or the HTTP status when the body was no envelope. */
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** No answer at all: offline, DNS, connection refused, timeout. Worth retrying later. */
export class NetworkError extends Error {
  /** `reason`, not `cause`: ES2022 gave Error a `cause` and the core also builds against ES2020. */
  constructor(readonly reason: unknown) {
    super(reason instanceof Error ? reason.message : String(reason));
    this.name = 'NetworkError';
  }
}
