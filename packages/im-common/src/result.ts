/**
 * The HTTP envelope every box-im endpoint returns, always with HTTP status 200.
 * `code` 200 is success; anything else carries a user-facing `message`.
 */
export interface Result<T = unknown> {
  code: number;
  message: string;
  data: T | null;
}

/** Wire codes of the envelope (box-im `ResultCode`). */
export const ResultCode = {
  SUCCESS: 200,
  /** No `accessToken` header: the web client goes back to the login page. */
  NO_LOGIN: 400,
  /** Token expired or invalid: the client refreshes and replays the request. */
  INVALID_TOKEN: 401,
  /** Business error or bad input; `message` says what was wrong. */
  PROGRAM_ERROR: 500,
  PASSWORD_ERROR: 10001,
  USERNAME_ALREADY_REGISTER: 10003,
} as const;
export type ResultCode = (typeof ResultCode)[keyof typeof ResultCode];

/**
 * Request header naming the language of user-facing messages (`zh` or `en`). Sent by this
 * project's clients from their UI language; without it messages are Chinese, as box-im's
 * are (box-im's Chinese-only clients in an English browser must not get English).
 */
export const LANGUAGE_HEADER = 'X-IM-Language';
