import { describe, expect, it } from 'vitest';
import { LocalSerialQueue } from '../../src/concurrency/keyed-serial-queue';

const tick = () => new Promise((r) => setTimeout(r, 1));

describe('LocalSerialQueue', () => {
  it('runs tasks of the same key one at a time, in arrival order', async () => {
    const queue = new LocalSerialQueue();
    const log: string[] = [];
    const section = (name: string, keys: string[]) =>
      queue.run(keys, async () => {
        log.push(`${name}:in`);
        await tick();
        log.push(`${name}:out`);
      });
    await Promise.all([section('a', ['1', '2']), section('b', ['2', '1']), section('c', ['1'])]);
    expect(log).toEqual(['a:in', 'a:out', 'b:in', 'b:out', 'c:in', 'c:out']);
    expect(queue.size).toBe(0);
  });

  it('lets unrelated keys run concurrently and never deadlocks on crossed pairs', async () => {
    const queue = new LocalSerialQueue();
    let inside = 0;
    let most = 0;
    const work = (keys: string[]) =>
      queue.run(keys, async () => {
        most = Math.max(most, ++inside);
        await tick();
        inside--;
      });
    await Promise.all([
      work(['1', '2']),
      work(['3', '4']),
      work(['2', '1']),
      work(['4', '3']),
      work(['1', '3']),
      work(['3', '1']),
    ]);
    expect(most).toBeGreaterThan(1);
    expect(queue.size).toBe(0);
  });

  it('releases the keys when the task throws', async () => {
    const queue = new LocalSerialQueue();
    await expect(queue.run(['7'], () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(queue.run(['7'], () => Promise.resolve('next'))).resolves.toBe('next');
    expect(queue.size).toBe(0);
  });
});
