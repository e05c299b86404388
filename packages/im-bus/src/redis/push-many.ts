import { createHash } from 'node:crypto';
import type { RedisClient } from './connect';

/**
 * RPUSH to each KEYS[i] its ARGV[i] items, taken in order from ARGV[#KEYS + 1 …] (at most
 * 1,000 per RPUSH: Lua's `unpack` is bounded by its stack). Returns the number of keys.
 */
const PUSH_MANY = `local at = #KEYS
for i = 1, #KEYS do
  local from = at + 1
  at = at + tonumber(ARGV[i])
  while from <= at do
    local to = math.min(at, from + 999)
    redis.call('RPUSH', KEYS[i], unpack(ARGV, from, to))
    from = to + 1
  end
end
return #KEYS`;
const PUSH_MANY_SHA = createHash('sha1').update(PUSH_MANY).digest('hex');

/**
 * Append `items[i]` to each of `keys[i]` (full key names; one server, not a cluster) with one
 * EVALSHA of `PUSH_MANY`, or EVAL once if Redis lost the script (restart, SCRIPT FLUSH).
 */
export async function pushManyScript(
  client: RedisClient,
  keys: readonly string[],
  items: readonly (readonly string[])[],
): Promise<void> {
  const args = items.map((list) => String(list.length));
  for (const list of items) for (const item of list) args.push(item);
  try {
    await client.evalSha(PUSH_MANY_SHA, { keys: [...keys], arguments: args });
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
    await client.eval(PUSH_MANY, { keys: [...keys], arguments: args });
  }
}
