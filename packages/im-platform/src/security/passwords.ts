import { hash, verify } from '@node-rs/argon2';
import bcrypt from 'bcryptjs';

/** PASSWORD_HASH: how new password hashes are made. */
export type PasswordScheme = 'argon2id' | 'bcrypt';

/** box-im's strength (Spring's BCryptPasswordEncoder default). */
const BCRYPT_ROUNDS = 10;

/**
 * Password hashes. Both kinds always verify: argon2id (PHC string) and bcrypt (`$2a$…`,
 * box-im's). What differs is what new hashes are:
 * - `argon2id` (default): new hashes are argon2id, and a bcrypt hash is replaced by one after
 *   a successful login (`needsRehash`);
 * - `bcrypt`: for a database box-im's Java nodes still serve (a migration, a rollback): new
 *   hashes are bcrypt in box-im's `$2a$10$` form, a bcrypt hash is never replaced, and an
 *   argon2id hash becomes bcrypt at its next login, so the Java side can verify it.
 */
export class PasswordHasher {
  constructor(readonly scheme: PasswordScheme = 'argon2id') {}

  async hash(plain: string): Promise<string> {
    if (this.scheme === 'argon2id') return hash(plain);
    // bcryptjs writes `$2b$`; box-im's Spring encoder writes `$2a$` (same algorithm for
    // passwords this short), which every Spring version reads.
    return (await bcrypt.hash(plain, BCRYPT_ROUNDS)).replace(/^\$2b\$/, '$2a$');
  }

  async verify(plain: string, stored: string): Promise<boolean> {
    if (isBcrypt(stored)) return bcrypt.compare(plain, stored);
    if (stored.startsWith('$argon2')) {
      try {
        return await verify(stored, plain);
      } catch {
        return false;
      }
    }
    return false;
  }

  /** Whether a stored hash that just verified should be replaced by a new one. */
  needsRehash(stored: string): boolean {
    return this.scheme === 'argon2id' ? !stored.startsWith('$argon2id$') : !isBcrypt(stored);
  }
}

function isBcrypt(stored: string): boolean {
  return /^\$2[abxy]\$\d{2}\$/.test(stored);
}
