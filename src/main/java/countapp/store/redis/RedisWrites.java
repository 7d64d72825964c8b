package countapp.store.redis;

import countapp.store.StoreException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.RedisCommand;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The write side of the Redis backend: a group of writes (one add's, or one erasure) leaves in one round
 * trip. The commands are handed to Lettuce as one collection, which it writes and flushes at once (per
 * node, on a Cluster), and their integer replies are summed without a future per reply beyond Lettuce's
 * own. With {@code redis_wait_replicas: N} a {@code WAIT N} goes last in the same flush on the same
 * connection, so it covers exactly those writes.
 *
 * <p>Thread-safety: stateless apart from the connections, which Lettuce lets any thread write to.
 */
final class RedisWrites {
    private final StatefulConnection<String, String> connection;
    private final RedisClusterAsyncCommands<String, String> commands;
    private final @Nullable StatefulRedisClusterConnection<String, String> cluster; // null for a standalone server
    private final @Nullable RedisClusterClient clusterClient;
    private final int waitReplicas;
    private final long waitTimeoutMs;

    RedisWrites(StatefulConnection<String, String> connection, RedisClusterAsyncCommands<String, String> commands,
            @Nullable StatefulRedisClusterConnection<String, String> cluster, @Nullable RedisClusterClient clusterClient,
            int waitReplicas, long waitTimeoutMs) {
        this.connection = connection;
        this.commands = commands;
        this.cluster = cluster;
        this.clusterClient = clusterClient;
        this.waitReplicas = waitReplicas;
        this.waitTimeoutMs = waitTimeoutMs;
    }

    /**
     * One write: the key that routes it, its command, whether its integer reply counts (how many new all-time
     * pairs it stored, or what an erasure reports) or not (a registry update), and for a script what to send
     * when the node does not know it yet.
     */
    record Write(String key, RedisCommand<String, String, Long> command, boolean counted, @Nullable RedisScript script,
            String @Nullable [] keys, String @Nullable [] args) {
        /** A command whose reply is added up. */
        static Write counted(String key, CommandType type, CommandArgs<String, String> args) {
            return new Write(key, integer(type, args), true, null, null, null);
        }

        /** A command whose reply counts as 0. */
        static Write uncounted(String key, CommandType type, CommandArgs<String, String> args) {
            return new Write(key, integer(type, args), false, null, null, null);
        }

        /** The script by digest ({@code EVALSHA}); by body only after a NOSCRIPT reply. */
        static Write script(RedisScript script, String[] keys, String[] args) {
            CommandArgs<String, String> a = new CommandArgs<>(StringCodec.UTF8).add(script.digest()).add(keys.length)
                    .addKeys(keys).addValues(args);
            return new Write(keys[0], integer(CommandType.EVALSHA, a), true, script, keys, args);
        }
    }

    static RedisCommand<String, String, Long> integer(CommandType type, CommandArgs<String, String> args) {
        return new AsyncCommand<>(new Command<>(type, new IntegerOutput<>(StringCodec.UTF8), args));
    }

    /** Sends {@code writes} in one round trip (then a {@code WAIT} when required); completes with the sum of replies. */
    CompletableFuture<Long> send(List<Write> writes) {
        StatefulRedisClusterConnection<String, String> c = cluster;
        if (waitReplicas > 0 && c != null) {
            return sendToOwningNodes(c, writes);
        }
        return dispatch(connection, commands, writes);
    }

    /**
     * {@code WAIT} counts only the writes of the connection it is sent on, so with a Cluster each write and
     * the {@code WAIT} go to the master owning the key's slot over that node's connection. A MOVED reply
     * (the slot moved during a failover) fails the write, which the caller retries, and asks for a topology
     * refresh so the retry finds the new master.
     */
    @SuppressWarnings("FutureReturnValueIgnored") // each node's outcome reaches the caller through the Sum
    private CompletableFuture<Long> sendToOwningNodes(StatefulRedisClusterConnection<String, String> c, List<Write> writes) {
        Map<String, List<Write>> byNode = new LinkedHashMap<>();
        for (Write w : writes) {
            RedisClusterNode master = c.getPartitions().getPartitionBySlot(SlotHash.getSlot(w.key()));
            if (master == null) {
                refreshTopology();
                return CompletableFuture.failedFuture(new StoreException("no Redis master serves the slot of "
                        + w.key() + " (cluster topology changing)"));
            }
            byNode.computeIfAbsent(master.getNodeId(), n -> new ArrayList<>()).add(w);
        }
        Sum total = new Sum(byNode.size());
        for (Map.Entry<String, List<Write>> e : byNode.entrySet()) {
            List<Write> onNode = e.getValue();
            c.getConnectionAsync(e.getKey())
                    .thenCompose(node -> dispatch(node, node.async(), onNode))
                    .whenComplete(total::add);
        }
        return total.result.whenComplete((v, err) -> {
            if (err != null) {
                refreshTopology();
            }
        });
    }

    /** Writes the commands, and a {@code WAIT} when required, in one flush on {@code on}. */
    @SuppressWarnings("FutureReturnValueIgnored") // each reply reaches the caller through the Sum
    private CompletableFuture<Long> dispatch(StatefulConnection<String, String> on,
            RedisClusterAsyncCommands<String, String> api, List<Write> writes) {
        List<RedisCommand<String, String, ?>> batch = new ArrayList<>(writes.size() + 1);
        for (Write w : writes) {
            batch.add(w.command());
        }
        RedisCommand<String, String, Long> wait = null;
        if (waitReplicas > 0) {
            wait = integer(CommandType.WAIT, new CommandArgs<>(StringCodec.UTF8).add(waitReplicas).add(waitTimeoutMs));
            batch.add(wait);
        }
        on.dispatch(batch);
        Sum total = new Sum(writes.size() + (wait == null ? 0 : 1));
        for (Write w : writes) {
            @SuppressWarnings("unchecked") // every command of a Write is built by integer(), an AsyncCommand
            CompletableFuture<Long> reply = (CompletableFuture<Long>) w.command();
            RedisScript script = w.script();
            if (script != null) {
                reply = reply.exceptionallyCompose(e -> unknownScript(e) ? byBody(api, w, script) : CompletableFuture.failedFuture(e));
            }
            if (w.counted()) {
                reply.whenComplete(total::add);
            } else {
                reply.whenComplete(total::done);
            }
        }
        if (wait != null) {
            @SuppressWarnings("unchecked")
            CompletableFuture<Long> waited = (CompletableFuture<Long>) wait;
            waited.thenApply(this::checkReplicas).whenComplete(total::done);
        }
        return total.result;
    }

    /**
     * The node did not know the script (a new or restarted server): its body goes next, then a {@code WAIT}
     * of its own when required, since the retry follows whatever was flushed with the first attempt.
     */
    private CompletableFuture<Long> byBody(RedisClusterAsyncCommands<String, String> api, Write w, RedisScript script) {
        String[] keys = w.keys();
        String[] args = w.args();
        if (keys == null || args == null) {
            throw new IllegalStateException("a script write without its keys and arguments");
        }
        return script.eval(api, keys, args).thenCompose(r -> waitReplicas == 0 ? CompletableFuture.completedFuture(r)
                : api.waitForReplication(waitReplicas, waitTimeoutMs).toCompletableFuture()
                        .thenApply(confirmed -> checkReplicas(confirmed) + r));
    }

    private static boolean unknownScript(Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        return cause instanceof RedisNoScriptException;
    }

    /** The {@code WAIT} reply is checked here and counts as 0. */
    private long checkReplicas(long confirmed) {
        if (confirmed < waitReplicas) {
            throw new StoreException("only " + confirmed + " of the " + waitReplicas
                    + " Redis replicas required by redis_wait_replicas confirmed the write within "
                    + waitTimeoutMs + " ms");
        }
        return 0L;
    }

    private void refreshTopology() {
        RedisClusterClient cc = clusterClient;
        if (cc != null) {
            cc.refreshPartitionsAsync();
        }
    }

    /** Sums a known number of replies; the first failure fails the whole, as a {@link StoreException}. */
    private static final class Sum {
        final CompletableFuture<Long> result = new CompletableFuture<>();
        private final AtomicInteger pending;
        private final AtomicLong total = new AtomicLong();

        Sum(int replies) {
            this.pending = new AtomicInteger(replies);
            if (replies == 0) {
                result.complete(0L);
            }
        }

        /** A reply that adds to the sum. */
        void add(@Nullable Long reply, @Nullable Throwable error) {
            if (error != null) {
                result.completeExceptionally(RedisPartition.storeException(error));
                return;
            }
            if (reply != null) {
                total.addAndGet(reply);
            }
            done(0L, null);
        }

        /** A reply that only has to succeed. */
        void done(@Nullable Long ignored, @Nullable Throwable error) {
            if (error != null) {
                result.completeExceptionally(RedisPartition.storeException(error));
            } else if (pending.decrementAndGet() == 0) {
                result.complete(total.get());
            }
        }
    }
}
