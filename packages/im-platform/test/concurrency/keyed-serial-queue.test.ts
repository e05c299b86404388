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

describe('LocalSerialQueue.pipeline', () => {
  it('frees the keys after enter, and runs the finishes of shared keys in the order of entry', async () => {
    const queue = new LocalSerialQueue();
    const log: string[] = [];
    // Each finish waits for its own gate, opened in reverse order: the queue must still keep entry order.
    const gates = new Map<string, () => void>();
    const gate = (name: string) => new Promise<void>((open) => gates.set(name, open));
    const task = (name: string, keys: string[]) =>
      queue.pipeline(
        keys,
        async () => {
          log.push(`${name}:enter`);
          await tick();
          return { wait: gate(name) };
        },
        async ({ wait }) => {
          await wait;
          log.push(`${name}:finish`);
          return name;
        },
      );
    const all = Promise.all([task('a', ['u1', 'u2']), task('b', ['u2', 'u1']), task('c', ['u3'])]);
    while (gates.size < 3) await tick();
    // Every enter ran before any finish: the keys did not wait for a.
    expect([...log].sort()).toEqual(['a:enter', 'b:enter', 'c:enter']);
    expect(log.indexOf('a:enter')).toBeLessThan(log.indexOf('b:enter'));
    gates.get('b')!();
    gates.get('c')!();
    await tick();
    expect(log.slice(3)).toEqual(['c:finish']);
    gates.get('a')!();
    expect(await all).toEqual(['a', 'b', 'c']);
    expect(log.slice(3)).toEqual(['c:finish', 'a:finish', 'b:finish']);
    expect(queue.size).toBe(0);
  });

  it('releases the place of a failing finish, and a failing enter takes none', async () => {
    const queue = new LocalSerialQueue();
    const failedFinish = queue.pipeline(
      ['k'],
      () => Promise.resolve({}),
      () => Promise.reject(new Error('finish')),
    );
    const failedEnter = queue.pipeline(
      ['k'],
      () => Promise.reject(new Error('enter')),
      () => Promise.resolve('never'),
    );
    const next = queue.pipeline(
      ['k'],
      () => Promise.resolve({ v: 1 }),
      ({ v }) => Promise.resolve(v + 1),
    );
    await expect(failedFinish).rejects.toThrow('finish');
    await expect(failedEnter).rejects.toThrow('enter');
    expect(await next).toBe(2);
    expect(queue.size).toBe(0);
  });
});
