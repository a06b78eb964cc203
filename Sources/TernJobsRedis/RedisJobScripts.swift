import TernRedis

/// The Lua scripts of the Redis backend: each does a step that must be atomic (take a unique key
/// and add the job; acknowledge and reschedule; reclaim or dead-letter) in one round trip.
///
/// Some scripts derive keys from a prefix (the stream of a job's queue, its unique key), which
/// Redis Cluster does not allow: like the rest of the template, this backend expects one Redis.
enum RedisJobScripts {
    /// KEYS: stream, delayed set, unique key, tick key, queue set.
    /// ARGV: envelope, id, run at, now, has unique key, has tick, tick TTL (s), queue name.
    /// Returns the job's id, the unique key holder's id, or nil when the tick was taken.
    static let enqueue = RedisScript(
        """
        if ARGV[6] == '1' then
          if not redis.call('SET', KEYS[4], ARGV[2], 'NX', 'EX', ARGV[7]) then return false end
        end
        if ARGV[5] == '1' then
          local holder = redis.call('GET', KEYS[3])
          if holder then return holder end
          redis.call('SET', KEYS[3], ARGV[2])
        end
        redis.call('SADD', KEYS[5], ARGV[8])
        if tonumber(ARGV[3]) > tonumber(ARGV[4]) then
          redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
        else
          redis.call('XADD', KEYS[1], '*', 'job', ARGV[1])
        end
        return ARGV[2]
        """)

    /// KEYS: stream, delayed set, dead hash, dead index, unique key.
    /// ARGV: entry id, envelope to store, retry at, dead, job id, now, group, consumer.
    /// Returns 0 when the entry is no longer this consumer's (reclaimed meanwhile).
    static let fail = RedisScript(
        """
        local owned = redis.call('XPENDING', KEYS[1], ARGV[7], ARGV[1], ARGV[1], 1, ARGV[8])
        if #owned == 0 then return 0 end
        redis.call('XACK', KEYS[1], ARGV[7], ARGV[1])
        redis.call('XDEL', KEYS[1], ARGV[1])
        if ARGV[4] == '1' then
          redis.call('HSET', KEYS[3], ARGV[5], ARGV[2])
          redis.call('ZADD', KEYS[4], ARGV[6], ARGV[5])
          if redis.call('GET', KEYS[5]) == ARGV[5] then redis.call('DEL', KEYS[5]) end
        else
          redis.call('ZADD', KEYS[2], ARGV[3], ARGV[2])
        end
        return 1
        """)

    /// KEYS: unique key. ARGV: job id. Lets go of a unique key the finished job holds.
    static let releaseUniqueKey = RedisScript(
        """
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
        return 0
        """)

    /// KEYS: stream, dead hash, dead index. ARGV: group, consumer, min idle (ms), count, now,
    /// unique key prefix, reason.
    /// Takes over entries idle past the visibility timeout (their worker died): returns
    /// [entry id, envelope, attempt] for those with attempts left, dead-letters the others.
    static let reclaim = RedisScript(
        """
        local pending = redis.call('XPENDING', KEYS[1], ARGV[1], 'IDLE', ARGV[3], '-', '+', ARGV[4])
        local claimed = {}
        for _, entry in ipairs(pending) do
          local id, deliveries = entry[1], entry[4]
          local messages = redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], ARGV[3], id)
          local message = messages[1]
          if not message then
            redis.call('XACK', KEYS[1], ARGV[1], id)
          else
            local fields, envelope = message[2], nil
            for i = 1, #fields, 2 do if fields[i] == 'job' then envelope = fields[i + 1] end end
            local job = cjson.decode(envelope)
            local made = job.attempt + deliveries
            if made >= job.max_attempts then
              job.attempt = made
              job.last_error = ARGV[7]
              redis.call('XACK', KEYS[1], ARGV[1], id)
              redis.call('XDEL', KEYS[1], id)
              redis.call('HSET', KEYS[2], job.id, cjson.encode(job))
              redis.call('ZADD', KEYS[3], ARGV[5], job.id)
              if type(job.unique_key) == 'string' then
                local key = ARGV[6] .. job.unique_key
                if redis.call('GET', key) == job.id then redis.call('DEL', key) end
              end
            else
              table.insert(claimed, {id, envelope, tostring(made + 1)})
            end
          end
        end
        return claimed
        """)

    /// KEYS: stream. ARGV: group, consumer, entry ids... Resets the idle time of the entries this
    /// consumer still holds (a lease extension), leaving alone any another worker reclaimed.
    static let extendLeases = RedisScript(
        """
        local extended = 0
        for i = 3, #ARGV do
          local owned = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[i], ARGV[i], 1, ARGV[2])
          if #owned > 0 then
            redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[i], 'JUSTID')
            extended = extended + 1
          end
        end
        return extended
        """)

    /// KEYS: delayed set. ARGV: now, limit, stream key prefix. Moves due delayed jobs to their
    /// queue's stream; their number.
    static let promote = RedisScript(
        """
        local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[2])
        for _, envelope in ipairs(due) do
          local job = cjson.decode(envelope)
          redis.call('XADD', ARGV[3] .. job.queue, '*', 'job', envelope)
          redis.call('ZREM', KEYS[1], envelope)
        end
        return #due
        """)

    /// KEYS: dead hash, dead index, queue set. ARGV: now, stream key prefix, limit, ids...
    /// (none: any). Puts dead jobs back in their queue with fresh attempts; their number.
    static let retryDead = RedisScript(
        """
        local ids = {}
        if #ARGV > 3 then
          for i = 4, #ARGV do table.insert(ids, ARGV[i]) end
        else
          ids = redis.call('ZRANGE', KEYS[2], 0, tonumber(ARGV[3]) - 1)
        end
        local retried = 0
        for _, id in ipairs(ids) do
          local envelope = redis.call('HGET', KEYS[1], id)
          if envelope then
            local job = cjson.decode(envelope)
            job.attempt = 0
            job.run_at = tonumber(ARGV[1])
            redis.call('SADD', KEYS[3], job.queue)
            redis.call('XADD', ARGV[2] .. job.queue, '*', 'job', cjson.encode(job))
            redis.call('HDEL', KEYS[1], id)
            redis.call('ZREM', KEYS[2], id)
            retried = retried + 1
          end
        end
        return retried
        """)

    /// KEYS: dead hash, dead index. Deletes the dead-letter set; its size.
    static let purgeDead = RedisScript(
        """
        local count = redis.call('HLEN', KEYS[1])
        redis.call('DEL', KEYS[1], KEYS[2])
        return count
        """)
}
