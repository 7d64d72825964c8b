package countapp.worker;

import countapp.http.Admission;
import countapp.http.ConnectionGuard;
import countapp.http.HttpVerticle;
import countapp.model.Limits;
import countapp.config.ClusterSecret;
import countapp.config.Config;
import countapp.config.ConfigException;
import countapp.config.ConfigLoader;
import countapp.config.RefusalLog;
import countapp.api.Endpoint;
import countapp.metrics.HttpMetrics;
import countapp.metrics.IngestMetrics;
import countapp.metrics.Metrics;
import countapp.metrics.StoreMetrics;
import countapp.store.Store;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker process: an HTTP server over the partitions the coordinator assigns to it.
 *
 * <p>Stopping ({@code /kill}, SIGTERM, or the coordinator's death) is graceful: new requests get 503,
 * every partition finishes its queued work, syncs its log and closes, and only then does the process exit.
 */
public final class Worker {
    private static final Logger LOG = LoggerFactory.getLogger(Worker.class);
    /** Short: see PartitionTable on why an open must not wait long for a partition's lock. */
    private static final Duration OPEN_TIMEOUT = Duration.ofMillis(200);
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);

    private final WorkerOptions options;
    private final long startedNanos = System.nanoTime();
    private final Metrics metrics = Metrics.create();
    private final Store store;
    private final PartitionTable table;
    private final Vertx vertx;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    /** Which refused files were logged; only the housekeeping thread. */
    private final RefusalLog refusals = new RefusalLog();
    /** The config in force; replaced whole by a successful reload on the housekeeping thread. */
    private volatile Config config;
    /** Start-only keys that differ on disk, as last logged (housekeeping thread only). */
    private List<String> pendingRestart = List.of();
    private final ClusterSecret secret;
    /** Set before the parent check is scheduled; read on the housekeeping thread. */
    private volatile @Nullable ParentWatch parentWatch;
    private final ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "housekeeping");
        t.setDaemon(true);
        return t;
    });

    /**
     * Worker settings from the command line.
     *
     * @param port HTTP port
     * @param bind address to listen on
     * @param parentPid the coordinator's pid, or 0 when started by hand
     */
    public record WorkerOptions(int port, String bind, long parentPid, Config config) {}

    private Worker(WorkerOptions options) {
        this.options = options;
        this.config = options.config();
        this.secret = secretOf(config);
        // One event loop: it serves the network and is every partition's writer, so a frame's adds are
        // stored where they were read, with no thread hand-off (see LogStore). Hosts with more cores run
        // more workers.
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        this.store = Stores.open(config, new StoreMetrics(metrics.registry()), new EventLoopWriter(vertx));
        this.table = new PartitionTable(store, store.partitions(), OPEN_TIMEOUT);
    }

    /** The coordinator hands spawned workers their secret in the environment; others read the config. */
    private static ClusterSecret secretOf(Config config) {
        String fromEnv = System.getenv(ClusterSecret.ENV);
        if (fromEnv != null && !fromEnv.isEmpty()) {
            return ClusterSecret.of(fromEnv);
        }
        if (config.clusterSecret() == null) {
            throw new IllegalArgumentException("no cluster secret: set cluster_secret in " + config.source()
                    + " (the same value as the coordinator's) to run a worker by hand");
        }
        return config.clusterSecret();
    }

    /** Starts a worker and returns once it accepts connections. */
    public static Worker start(WorkerOptions options) throws Exception {
        Worker worker = new Worker(options);
        worker.listen();
        return worker;
    }

    private void listen() throws Exception {
        WorkerHandler api = new WorkerHandler(this, table, metrics, new IngestMetrics(metrics.registry()),
                new Admission(() -> config.limits()));
        var handler = new HttpMetrics(metrics.registry(), EnumSet.of(Endpoint.ROOT, Endpoint.ITEMS, Endpoint.COUNT,
                Endpoint.IDS, Endpoint.METRICS, Endpoint.PARTITIONS)).instrument(api.router());
        Supplier<Limits> limits = () -> config.limits();
        ConnectionGuard guard = new ConnectionGuard(vertx, limits);
        try {
            vertx.deployVerticle(() -> new HttpVerticle(options.bind(), options.port(), limits, guard, handler), new DeploymentOptions().setInstances(1))
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            closeResources();
            throw new IllegalStateException("cannot listen on " + options.bind() + ":" + options.port() + ": "
                    + e.getCause(), e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop("a termination signal").join(), "shutdown"));
        if (options.parentPid() > 0) {
            parentWatch = new ParentWatch(options.parentPid());
            housekeeping.scheduleWithFixedDelay(this::checkParent, 1, 1, TimeUnit.SECONDS);
        }
        long reloadMs = config.configCheck().toMillis();
        housekeeping.scheduleWithFixedDelay(this::reloadConfig, reloadMs, reloadMs, TimeUnit.MILLISECONDS);
        LOG.info("worker up on {}:{} (pid {}, database {}, {} partitions{})", options.bind(), options.port(),
                ProcessHandle.current().pid(), config.databaseName(), table.partitions(),
                config.redis() != null ? "" : ", worker_persist " + config.workerPersist().toMillis() + " ms");
    }

    int port() {
        return options.port();
    }

    Config config() {
        return config;
    }

    /** Partitions of this worker that refuse writes now (a full disk), with why. */
    java.util.Map<Integer, String> blockedPartitions() {
        return store.blockedPartitions();
    }

    ClusterSecret secret() {
        return secret;
    }

    long uptimeMillis() {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    boolean stopping() {
        return stopping.get();
    }

    void requestStarted() {
        inFlight.incrementAndGet();
    }

    void requestFinished() {
        inFlight.decrementAndGet();
    }

    /** Stops gracefully; idempotent. Completes when every partition is persisted and closed. */
    public CompletableFuture<Void> stop(String reason) {
        if (!stopping.compareAndSet(false, true)) {
            return stopped;
        }
        LOG.info("stopping worker on port {} ({}): draining and closing partitions", options.port(), reason);
        housekeeping.shutdownNow();
        table.releaseAll()
                .thenRun(this::awaitResponses)
                .whenComplete((v, e) -> {
                    if (e != null) {
                        LOG.error("error while stopping", e);
                    }
                    closeResources();
                    LOG.info("worker on port {} stopped", options.port());
                    stopped.complete(null);
                });
        return stopped;
    }

    /** Stops, then exits the JVM (from a fresh thread: exiting from a shutdown hook would deadlock). */
    void stopAndExit(String reason) {
        stop(reason).whenComplete((v, e) -> new Thread(() -> System.exit(0), "exit").start());
    }

    private void awaitResponses() {
        long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void closeResources() {
        table.shutdown();
        store.close();
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("HTTP server did not close cleanly: {}", e.toString());
        }
        metrics.close();
    }

    /**
     * Applies a changed {@code worker_persist}, limits and keys; a bad file keeps the config in force. The
     * database and partitions stay those the worker started with, and a file that would switch auth off is
     * refused, as on the coordinator (see {@link ConfigLoader#reload}).
     */
    private void reloadConfig() {
        try {
            ConfigLoader.Loaded loaded = ConfigLoader.reload(config);
            Config fresh = loaded.config();
            if (!loaded.pendingRestart().equals(pendingRestart)) {
                pendingRestart = loaded.pendingRestart();
                if (!pendingRestart.isEmpty()) {
                    LOG.warn("config: {} changed on disk; this worker keeps the values in force (they change "
                            + "only when the coordinator restarts)", pendingRestart);
                }
            }
            if (!fresh.workerPersist().equals(config.workerPersist())) {
                store.setPersistInterval(fresh.workerPersist());
            }
            config = fresh;
            refusals.accepted();
        } catch (ConfigException e) {
            if (refusals.isNews(config.source(), e.getMessage())) {
                LOG.warn("config reload failed; keeping the config in force: {}", e.getMessage());
            }
        } catch (RuntimeException e) {
            LOG.error("config reload failed", e);
        }
    }

    private void checkParent() {
        try {
            ParentWatch watch = parentWatch;
            if (watch == null) {
                return;
            }
            ParentWatch.Verdict verdict = watch.check();
            switch (verdict) {
                case GONE -> {
                    LOG.warn("coordinator (pid {}) is gone; stopping so no worker is left orphaned", options.parentPid());
                    stopAndExit("coordinator gone");
                }
                case UNKNOWN -> LOG.warn("could not read the state of the coordinator (pid {}), though it is there; "
                        + "checking again in a second", options.parentPid());
                case ALIVE -> { }
            }
        } catch (RuntimeException e) {
            LOG.warn("parent check failed (checking again in a second): {}", e.toString());
        }
    }
}
