import { hash, verify } from '@node-rs/argon2';
import bcrypt from 'bcryptjs';

/**
 * New hashes are argon2id (PHC string). box-im's bcrypt hashes (`$2a$…`) still verify,
 * and `needsRehash` tells the caller to replace them after a successful login.
 */
export async function hashPassword(plain: string): Promise<string> {
  return hash(plain);
}

export async function verifyPassword(plain: string, stored: string): Promise<boolean> {
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

export function needsRehash(stored: string): boolean {
  return !stored.startsWith('$argon2id$');
}

function isBcrypt(stored: string): boolean {
  return /^\$2[abxy]\$\d{2}\$/.test(stored);
}
