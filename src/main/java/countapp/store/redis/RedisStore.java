package countapp.store.redis;

import countapp.config.RedisConfig;
import countapp.model.Retention;
import countapp.store.Partition;
import countapp.store.Store;
import countapp.store.StoreException;
import countapp.store.StoreListener;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Redis backend: each tenant's set of ids is one Redis set, so any number of workers on any hosts
 * can serve any partition. Partitions remain only for routing (every coordinator sends a tenant to the
 * same worker); opening or closing one is free, and no fencing is needed because each write ({@code SADD},
 * or a script over one tenant's keys) is atomic.
 *
 * <p>One multiplexed connection (per node, for a Cluster) carries every command of the process. Every
 * command has a bounded timeout, so an unreachable Redis turns into a {@link StoreException} (503) in
 * seconds rather than a hung request; Lettuce reconnects by itself when Redis returns.
 */
public final class RedisStore implements Store {
    private static final Logger LOG = LoggerFactory.getLogger(RedisStore.class);
    /** Bound on every command, including {@code WAIT}: past it the request fails with 503. */
    private final Duration commandTimeout;
    /** How long {@code WAIT} lets replicas catch up: half the command timeout, so its answer arrives. */
    private final long waitTimeoutMs;
    /**
     * Bound on connecting (TCP connect and handshake), looser than a command's: a busy host must not turn
     * every reconnect into a failure, and a request never waits on it longer than {@code redis_timeout}.
     */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final String META_KEY = "countapp:meta";
    static final String META_FORMAT = "format=1;partitions=";

    private final RedisConfig config;
    private final int partitions;
    private final ClientResources resources;
    private final RedisClient client; // standalone, else null
    private final RedisClusterClient clusterClient; // cluster, else null
    private final StatefulConnection<String, String> connection;
    private final StatefulRedisClusterConnection<String, String> clusterConnection; // cluster, else null
    private final RedisClusterAsyncCommands<String, String> commands;
    /** Every partition's adds and erasures: each a group of commands in one round trip on {@link #connection}. */
    private final RedisWrites writes;
    /**
     * Counts and id scans have their own connection: with {@code redis_wait_replicas}, a {@code WAIT} holds
     * up every later command of its connection until replicas confirm, and a read must not wait on that.
     */
    private final StatefulConnection<String, String> readConnection;
    private final RedisClusterAsyncCommands<String, String> reads;

    /** Which day and month windows are kept; the clock says which day it is. */
    private final Retention windows;
    private final Clock clock;
    private final LongAdder lateItems = new LongAdder();
    private volatile StoreListener listener = StoreListener.NONE;
    /** The partitions handed out by {@link #open}, closed with the store. */
    private final java.util.concurrent.ConcurrentMap<Integer, RedisPartition> open =
            new java.util.concurrent.ConcurrentHashMap<>();
    /** Registers tenants stored before the partitions' registries existed; null when not started. */
    private final @Nullable RegistryBackfill backfill;

    private RedisStore(RedisConfig config, int configuredPartitions, Retention windows, Clock clock,
            boolean backfillRegistry, io.netty.channel.@Nullable EventLoopGroup ioLoop) {
        this.config = config;
        this.windows = windows;
        this.clock = clock;
        this.commandTimeout = config.timeout();
        this.waitTimeoutMs = Math.max(1, config.timeout().toMillis() / 2);
        // A Cluster client keeps its own I/O threads: its topology refreshes and node connections wait on
        // replies in places, which on the worker's only event loop would wait on that loop itself.
        DefaultClientResources.Builder resourcesOf = DefaultClientResources.builder().computationThreadPoolSize(2);
        this.resources = (ioLoop == null || config.cluster() ? resourcesOf.ioThreadPoolSize(2)
                : resourcesOf.eventLoopGroupProvider(new SharedEventLoop(ioLoop))).build();
        SocketOptions socket = SocketOptions.builder().connectTimeout(CONNECT_TIMEOUT).keepAlive(true).build();
        TimeoutOptions timeouts = TimeoutOptions.enabled(commandTimeout);
        try {
            if (config.cluster()) {
                List<RedisURI> seeds = new ArrayList<>();
                config.nodes().forEach(n -> seeds.add(uri(n)));
                RedisClusterClient cc = RedisClusterClient.create(resources, seeds);
                // Topology changes (failover, resharding) are picked up at once on MOVED/ASK or a lost
                // connection (Lettuce 7's default adaptive triggers), and every few seconds regardless.
                ClusterTopologyRefreshOptions refresh = ClusterTopologyRefreshOptions.builder()
                        .enablePeriodicRefresh(Duration.ofSeconds(5))
                        .adaptiveRefreshTriggersTimeout(Duration.ofSeconds(1))
                        .build();
                cc.setOptions(ClusterClientOptions.builder().topologyRefreshOptions(refresh).socketOptions(socket)
                        .timeoutOptions(timeouts).autoReconnect(true).maxRedirects(5).build());
                StatefulRedisClusterConnection<String, String> c = cc.connect();
                StatefulRedisClusterConnection<String, String> r = cc.connect();
                this.clusterClient = cc;
                this.client = null;
                this.connection = c;
                this.clusterConnection = c;
                this.commands = c.async();
                this.readConnection = r;
                this.reads = r.async();
            } else {
                RedisClient rc = RedisClient.create(resources, uri(config.nodes().get(0)));
                rc.setOptions(ClientOptions.builder().socketOptions(socket).timeoutOptions(timeouts)
                        .autoReconnect(true).build());
                StatefulRedisConnection<String, String> c = rc.connect();
                StatefulRedisConnection<String, String> r = rc.connect();
                this.client = rc;
                this.clusterClient = null;
                this.clusterConnection = null;
                this.connection = c;
                this.commands = c.async();
                this.readConnection = r;
                this.reads = r.async();
            }
            this.partitions = agreeOnPartitions(configuredPartitions);
            this.writes = new RedisWrites(connection, commands, clusterConnection, clusterClient, config.waitReplicas(),
                    waitTimeoutMs);
        } catch (RuntimeException e) {
            shutdownQuietly();
            throw e instanceof StoreException ? e
                    : new StoreException("cannot use Redis at " + config + ": " + e.getMessage(), e);
        }
        LOG.info("connected to Redis {} ({}, {} partitions, redis_wait_replicas {}, windows {})", config,
                config.cluster() ? "cluster" : "standalone", partitions, config.waitReplicas(), windows);
        // On a Cluster, reads is the advanced cluster API, whose SCAN walks every master in turn.
        this.backfill = backfillRegistry
                ? RegistryBackfill.start(reads, commands, partitions, 2 * commandTimeout.toMillis(), config.toString())
                : null;
    }

    /**
     * Connects and checks (or records, on first use) the partition count every process must share, with no
     * windows and no registry backfill: what a process that only needs the partition count (the
     * coordinator) uses.
     */
    public static RedisStore connect(RedisConfig config, int configuredPartitions) {
        return new RedisStore(config, configuredPartitions, Retention.NONE, Clock.systemUTC(), false, null);
    }

    /**
     * Connects as a worker does: checks (or records, on first use) the partition count every process must
     * share, keeps the day and month windows {@code windows} names, with {@code clock} telling which UTC day
     * it is (adds pick their windows by it, counts refuse windows it says are past the retention), and, unless
     * done before, starts the one-time {@link RegistryBackfill} in the background.
     */
    public static RedisStore connect(RedisConfig config, int configuredPartitions, Retention windows, Clock clock) {
        return connect(config, configuredPartitions, windows, clock, StoreListener.NONE);
    }

    /** As above, reporting late items to {@code listener} (the worker's metrics). */
    public static RedisStore connect(RedisConfig config, int configuredPartitions, Retention windows, Clock clock,
            StoreListener listener) {
        return connect(config, configuredPartitions, windows, clock, listener, null);
    }

    /**
     * As above, with a standalone Redis' connections on {@code ioLoop} (the worker's event loop, see
     * {@link SharedEventLoop}) rather than on threads of their own; never blocks that loop itself, and leaves
     * it running on close. A Cluster's connections keep their own threads.
     */
    public static RedisStore connect(RedisConfig config, int configuredPartitions, Retention windows, Clock clock,
            StoreListener listener, io.netty.channel.@Nullable EventLoopGroup ioLoop) {
        RedisStore store = new RedisStore(config, configuredPartitions, windows, clock, true, ioLoop);
        store.listener = listener;
        return store;
    }

    /**
     * How many items, since this store was connected, carried a day whose day or month window is not kept
     * (older than the retention, or more than a day ahead): they counted all-time, and in whichever of
     * their windows is kept, but not in the one they missed.
     */
    public long lateItems() {
        return lateItems.sum();
    }

    private RedisURI uri(RedisConfig.HostPort node) {
        RedisURI.Builder b = RedisURI.builder().withHost(node.host()).withPort(node.port()).withSsl(config.tls())
                .withTimeout(CONNECT_TIMEOUT);
        if (config.password() != null) {
            b.withPassword(config.password().toCharArray());
        }
        return b.build();
    }

    /**
     * The tenant-to-partition map depends on the partition count, and every coordinator and worker reads
     * its own config file: the first process to start records its count with {@code SET NX}, and a process
     * configured with another count refuses to start rather than route tenants differently.
     */
    private int agreeOnPartitions(int configured) {
        String wanted = META_FORMAT + configured;
        try {
            commands.set(META_KEY, wanted, SetArgs.Builder.nx()).get(commandTimeout.toMillis(), TimeUnit.MILLISECONDS);
            String stored = commands.get(META_KEY).get(commandTimeout.toMillis(), TimeUnit.MILLISECONDS);
            if (stored == null || !stored.startsWith(META_FORMAT)) {
                throw new StoreException("Redis key " + META_KEY + " holds \"" + stored
                        + "\", not CountApp metadata; is this Redis used by something else?");
            }
            int existing = Integer.parseInt(stored.substring(META_FORMAT.length()));
            if (existing != configured) {
                throw new StoreException("the CountApp data in Redis " + config + " was created with partitions: "
                        + existing + " but this config says partitions: " + configured
                        + "; every process must use the same value (set partitions: " + existing + ")");
            }
            return existing;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while reading " + META_KEY, e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new StoreException("cannot read " + META_KEY + " from Redis " + config + ": " + e.getMessage(), e);
        } catch (NumberFormatException e) {
            throw new StoreException("corrupt " + META_KEY + " in Redis " + config + ": " + e.getMessage(), e);
        }
    }

    @Override
    public int partitions() {
        return partitions;
    }

    @Override
    public Partition open(int partition, Duration timeout, BooleanSupplier stillWanted) {
        if (partition < 0 || partition >= partitions) {
            throw new StoreException("partition " + partition + " does not exist (0.." + (partitions - 1) + ")");
        }
        // An open partition is handed out again, as the embedded store does; a closed one is replaced.
        return open.compute(partition, (p, current) -> current != null && !current.isClosed() ? current
                : new RedisPartition(p, writes, reads, windows, clock, late -> {
                    lateItems.add(late);
                    listener.lateItems(late);
                }));
    }

    /** Durability is Redis' own (its AOF fsync policy and replication), so there is nothing to change here. */
    @Override
    public void setPersistInterval(Duration interval) {
        LOG.info("worker_persist does not apply to a Redis database; durability follows Redis' appendfsync setting");
    }

    /** How the registry backfill this connect started ended, or null when it started none. */
    @Nullable CompletableFuture<RegistryBackfill.Outcome> registryBackfill() {
        RegistryBackfill b = backfill;
        return b == null ? null : b.outcome();
    }

    @Override
    public void close() {
        // First the partitions, which answer what they have in flight and then refuse with
        // PartitionClosedException, as the embedded store's do, rather than fail on a closed connection.
        Partition.closeAll(open.values());
        RegistryBackfill b = backfill;
        if (b != null) {
            b.stop(); // before the connections close, so it never reports them closed as a failure
        }
        shutdownQuietly();
    }

    private void shutdownQuietly() {
        try {
            if (connection != null) {
                connection.close();
            }
            if (readConnection != null) {
                readConnection.close();
            }
        } catch (RuntimeException e) {
            LOG.warn("Redis connection did not close cleanly: {}", e.toString());
        }
        try {
            if (client != null) {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            }
            if (clusterClient != null) {
                clusterClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            }
        } catch (RuntimeException e) {
            LOG.warn("Redis client did not shut down cleanly: {}", e.toString());
        }
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
