import type { DialectHandle } from '../db';
import { SensitiveWordRepository } from './sensitive-word.repository';
import { UserRepository } from './user.repository';

/** One repository per table or capability; the only place that holds SQL. */
export function createRepositories(h: DialectHandle) {
  return {
    users: new UserRepository(h),
    sensitiveWords: new SensitiveWordRepository(h),
  };
}
export type Repositories = ReturnType<typeof createRepositories>;
