/**
 * The server-side scripts. Each runs atomically in Redis, so no other process's reserve, charge
 * or settle lands between its check and its write.
 *
 * One scope is two keys: a hash (`KEYS[1]`) and a sorted set of lease expiries by process id
 * (`KEYS[2]`). Money is integer nano-USD (1e-9): Lua numbers are doubles, exact to 2^53 nano-USD
 * (about $9 million per scope); the store rounds holds and spend up to whole nano-USD.
 * Hash fields: `limit`, `settled`, `held`, `run` (the sums), `h:<pid>`, `r:<pid>`, `s:<pid>`
 * (one process's hold, running cost and cumulative settled cost), `stopped`, `x` (the crossing
 * was announced), `name`, `window`.
 */

/** Drops the holds and running costs of processes whose lease expired (they died, or lost Redis for a whole lease). */
const RECLAIM = `
local function s(x) return string.format('%.0f', x) end
local function num(h, f) return tonumber(redis.call('HGET', h, f) or '0') end
local function reclaim(h, e, now, self)
  local dead = redis.call('ZRANGEBYSCORE', e, '-inf', now)
  for _, p in ipairs(dead) do
    if p ~= self then
      local hv = tonumber(redis.call('HGET', h, 'h:' .. p) or '0')
      local rv = tonumber(redis.call('HGET', h, 'r:' .. p) or '0')
      if hv ~= 0 then redis.call('HSET', h, 'held', s(num(h, 'held') - hv)) end
      if rv ~= 0 then redis.call('HSET', h, 'run', s(num(h, 'run') - rv)) end
      redis.call('HDEL', h, 'h:' .. p, 'r:' .. p)
    end
    redis.call('ZREM', e, p)
  end
end
`;

/**
 * SYNC: one process's whole state in one scope, written absolutely (a repeated or late sync
 * changes nothing twice): its hold, running cost and cumulative settled cost, and, when it asks
 * for more quota (`need` > `floor`), the grant.
 * ARGV: pid, now ms, lease ttl ms, limit, enforce (1/0), floor, need, want, run, settled (cumulative),
 *       key ttl ms, channel, scope key, name, window.
 * The hold granted is `floor` (what the process's calls hold already, never refused) raised
 * towards `want` as far as the limit leaves room (unlimited for a warn-only scope); none while the
 * scope is stopped. Returns { hold, settled, others' held, others' run, stopped }.
 * Publishes `{"t":"x"}` on the channel once when settled + running cost first passes the limit.
 */
export const SYNC_SCRIPT = `${RECLAIM}
local h, e = KEYS[1], KEYS[2]
local pid, now, ttl = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local limit, enforce = tonumber(ARGV[4]), ARGV[5] == '1'
local floor, need, want = tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[8])
local myRun, myCum = tonumber(ARGV[9]), tonumber(ARGV[10])
reclaim(h, e, now, pid)
local held = num(h, 'held') - num(h, 'h:' .. pid)
local run = num(h, 'run') - num(h, 'r:' .. pid)
local oldCum = num(h, 's:' .. pid)
local settled = num(h, 'settled')
if myCum > oldCum then settled = settled + (myCum - oldCum) else myCum = oldCum end
local stopped = redis.call('HEXISTS', h, 'stopped') == 1
local hold = floor
if need > floor and not stopped then
  local top = want
  if enforce then
    local room = limit - settled - held
    if room < top then top = room end
  end
  if top > hold then hold = top end
end
redis.call('HSET', h, 'limit', s(limit), 'settled', s(settled), 'held', s(held + hold), 'run', s(run + myRun),
  'h:' .. pid, s(hold), 'r:' .. pid, s(myRun), 's:' .. pid, s(myCum))
if ARGV[14] ~= '' then redis.call('HSET', h, 'name', ARGV[14]) end
if ARGV[15] ~= '' then redis.call('HSET', h, 'window', ARGV[15]) end
if hold > 0 or myRun > 0 then redis.call('ZADD', e, now + ttl, pid) else redis.call('ZREM', e, pid) end
local keyTtl = tonumber(ARGV[11])
redis.call('PEXPIRE', h, keyTtl)
redis.call('PEXPIRE', e, keyTtl)
local spent = settled + run + myRun
if spent > limit then
  if redis.call('HSETNX', h, 'x', '1') == 1 then
    redis.call('PUBLISH', ARGV[12], cjson.encode({ t = 'x', k = ARGV[13], s = s(settled), r = s(run + myRun) }))
  end
else
  redis.call('HDEL', h, 'x')
end
return { s(hold), s(settled), s(held), s(run), stopped and 1 or 0 }
`;

/**
 * PEEK: a scope as `costtrace budget list` shows it, after reclaiming expired leases.
 * ARGV: now ms. Returns the hash as a flat field/value list.
 */
export const PEEK_SCRIPT = `${RECLAIM}
reclaim(KEYS[1], KEYS[2], tonumber(ARGV[1]), '')
return redis.call('HGETALL', KEYS[1])
`;

/**
 * STOP / RESUME: the kill switch. ARGV: 1 to stop, 0 to resume; key ttl ms; channel; scope key.
 * A stop of a scope no process has opened yet is kept, so its first call is refused.
 */
export const SWITCH_SCRIPT = `
local h = KEYS[1]
if ARGV[1] == '1' then
  redis.call('HSET', h, 'stopped', '1')
  redis.call('PEXPIRE', h, tonumber(ARGV[2]))
  redis.call('PUBLISH', ARGV[3], cjson.encode({ t = 'stop', k = ARGV[4] }))
else
  redis.call('HDEL', h, 'stopped')
  redis.call('PUBLISH', ARGV[3], cjson.encode({ t = 'resume', k = ARGV[4] }))
end
return 1
`;
