import { describe, expect, it } from 'vitest';
import { closeInOrder } from '../src';

describe('closeInOrder', () => {
  it('runs every step in order even when some fail, then reports the failures', async () => {
    const ran: string[] = [];
    const step =
      (name: string, fail = false) =>
      async () => {
        await Promise.resolve();
        ran.push(name);
        if (fail) throw new Error(name);
      };
    await expect(closeInOrder('thing', [step('a'), step('b', true), step('c')])).rejects.toThrow('b');
    expect(ran).toEqual(['a', 'b', 'c']);
    const both = closeInOrder('thing', [step('x', true), step('y', true)]);
    await expect(both).rejects.toBeInstanceOf(AggregateError);
    await expect(closeInOrder('thing', [step('ok')])).resolves.toBeUndefined();
  });
});
