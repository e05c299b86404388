/** The Lua scripts of the Redis bus (each runs atomically on the server). */

/** Deletes KEYS[1] only while it still holds ARGV[1]. */
export const DEL_IF_EQUALS = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;
/** DEL_IF_EQUALS, then PUBLISH ARGV[3] on channel ARGV[2] if the key was deleted. */
export const DEL_IF_EQUALS_AND_NOTIFY = `if redis.call('GET', KEYS[1]) == ARGV[1] then
redis.call('DEL', KEYS[1]) redis.call('PUBLISH', ARGV[2], ARGV[3]) return 1 else return 0 end`;
/** Renews KEYS[1] to ARGV[2] ms only while it still holds ARGV[1]. */
export const EXPIRE_IF_EQUALS = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;

/**
 * SET KEYS[1] ARGV[1] (PX ARGV[2] unless empty) GET, then PUBLISH ARGV[4] on channel ARGV[3]
 * if the value changed; returns the previous value. One key: valid on a cluster, where a
 * script's PUBLISH reaches every node's subscribers.
 */
export const SWAP_AND_NOTIFY = `local previous
if ARGV[2] == '' then previous = redis.call('SET', KEYS[1], ARGV[1], 'GET')
else previous = redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'GET') end
if previous ~= ARGV[1] then redis.call('PUBLISH', ARGV[3], ARGV[4]) end
return previous`;
