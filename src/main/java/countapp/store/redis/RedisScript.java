package countapp.store.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A Lua script of the Redis backend. Each runs atomically on the node owning its keys (all of one tenant,
 * so one slot), which is what makes an add, an erase and a count of the same tenant happen in one order.
 * It is sent by digest ({@code EVALSHA}), and by body only when the node does not know it yet (a new or
 * restarted server), so a batch does not carry the script's text.
 */
final class RedisScript {
    /**
     * An add of one tenant's sub-batch. KEYS[1] is the all-time set, KEYS[2..] window sets; ARGV[i] is how
     * many members go to KEYS[i], ARGV[#KEYS + i] when KEYS[i] expires (epoch ms, unused for KEYS[1]), then
     * the members, key after key. Returns how many were new all-time. SADD takes the members in slices so
     * unpack stays under Lua's stack limit.
     */
    static final RedisScript ADD = new RedisScript("""
            local n = #KEYS
            local at = 2 * n + 1
            local added = 0
            for i = 1, n do
              local last = at + tonumber(ARGV[i]) - 1
              for from = at, last, 4000 do
                local r = redis.call('SADD', KEYS[i], unpack(ARGV, from, math.min(from + 3999, last)))
                if i == 1 then added = added + r end
              end
              at = last + 1
              if i > 1 then redis.call('PEXPIREAT', KEYS[i], ARGV[n + i]) end
            end
            return added
            """);

    /** Removes ARGV[1] from KEYS[1] (all time) and every window set KEYS[2..]; returns whether it was in KEYS[1]. */
    static final RedisScript ERASE = new RedisScript("""
            local was = redis.call('SREM', KEYS[1], ARGV[1])
            for i = 2, #KEYS do redis.call('SREM', KEYS[i], ARGV[1]) end
            return was
            """);

    /** Deletes KEYS (the all-time set first, then every window set); returns the all-time count it had. */
    static final RedisScript ERASE_TENANT = new RedisScript("""
            local n = redis.call('SCARD', KEYS[1])
            redis.call('UNLINK', unpack(KEYS))
            return n
            """);

    /** The size of the union of KEYS[2..], built in the scratch key KEYS[1] and deleted in the same step. */
    static final RedisScript UNION_COUNT = new RedisScript("""
            local n = redis.call('SUNIONSTORE', KEYS[1], unpack(KEYS, 2))
            redis.call('UNLINK', KEYS[1])
            return n
            """);

    private final String body;
    private final String digest;

    private RedisScript(String body) {
        this.body = body;
        try {
            this.digest = HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-1").digest(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-1", e);
        }
    }

    /** The SHA-1 of the body, which {@code EVALSHA} names the script by. */
    String digest() {
        return digest;
    }

    /** Sends the body ({@code EVAL}), for a node that answered NOSCRIPT. */
    CompletableFuture<Long> eval(RedisClusterAsyncCommands<String, String> on, String[] keys, String[] args) {
        return on.<Long>eval(body, ScriptOutputType.INTEGER, keys, args).toCompletableFuture();
    }

    /**
     * Runs a script that writes nothing durable on {@code on}, returning its integer reply; by body when the
     * node answers NOSCRIPT. (Durable writes go through {@link RedisWrites}, which also sends the WAIT.)
     */
    CompletableFuture<Long> run(RedisClusterAsyncCommands<String, String> on, String[] keys, String[] args) {
        CompletableFuture<Long> bySha = on.<Long>evalsha(digest, ScriptOutputType.INTEGER, keys, args).toCompletableFuture();
        return bySha.exceptionallyCompose(e -> {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (!(cause instanceof RedisNoScriptException)) {
                return CompletableFuture.failedFuture(cause);
            }
            return eval(on, keys, args);
        });
    }
}
