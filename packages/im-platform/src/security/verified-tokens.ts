/**
 * Access tokens already verified, by their exact text: a client sends the same token with
 * every request for its whole lifetime, and checking it again (HMAC, two base64url decodes,
 * two JSON parses, the session's validation) was ~6 % of the busy CPU of a message send. Only
 * tokens that passed are kept, with their `exp`, which is checked again on every hit: an
 * answer from here is the one a new verification would give (what follows verification —
 * revocation, ban, password fingerprint — is checked per request as before). Bounded; the
 * longest kept are dropped first.
 */
export class VerifiedTokens<T> {
  private readonly entries = new Map<string, { value: T; expSeconds: number }>();

  constructor(private readonly maxEntries = 20_000) {}

  /** The verified value of `token`, unless unknown or expired at `nowSeconds` (then forgotten). */
  get(token: string, nowSeconds: number): T | 'expired' | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (entry.expSeconds > nowSeconds) return entry.value;
    this.entries.delete(token);
    return 'expired';
  }

  /** Remember a token that verified, valid until `expSeconds` (its `exp` claim). */
  put(token: string, value: T, expSeconds: number): void {
    this.entries.set(token, { value, expSeconds });
    if (this.entries.size <= this.maxEntries) return;
    const oldest = this.entries.keys().next();
    if (!oldest.done) this.entries.delete(oldest.value);
  }

  get size(): number {
    return this.entries.size;
  }
}
