import { describe, expect, it } from 'vitest';
import { UserOrderLock } from '../../src/services/user-order-lock';

const tick = () => new Promise((r) => setTimeout(r, 1));

describe('UserOrderLock', () => {
  it('runs sections of the same user one at a time, in arrival order', async () => {
    const lock = new UserOrderLock();
    const log: string[] = [];
    const section = (name: string, users: number[]) =>
      lock.run(users, async () => {
        log.push(`${name}:in`);
        await tick();
        log.push(`${name}:out`);
      });
    await Promise.all([section('a', [1, 2]), section('b', [2, 1]), section('c', [1])]);
    expect(log).toEqual(['a:in', 'a:out', 'b:in', 'b:out', 'c:in', 'c:out']);
    expect(lock.size).toBe(0);
  });

  it('lets unrelated users run concurrently and never deadlocks on crossed pairs', async () => {
    const lock = new UserOrderLock();
    let inside = 0;
    let most = 0;
    const work = (users: number[]) =>
      lock.run(users, async () => {
        most = Math.max(most, ++inside);
        await tick();
        inside--;
      });
    await Promise.all([work([1, 2]), work([3, 4]), work([2, 1]), work([4, 3]), work([1, 3]), work([3, 1])]);
    expect(most).toBeGreaterThan(1);
    expect(lock.size).toBe(0);
  });

  it('releases the locks when the section throws', async () => {
    const lock = new UserOrderLock();
    await expect(lock.run([7], () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(lock.run([7], () => Promise.resolve('next'))).resolves.toBe('next');
    expect(lock.size).toBe(0);
  });
});
