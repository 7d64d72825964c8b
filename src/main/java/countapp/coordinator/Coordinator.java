package countapp.coordinator;

import countapp.api.ConnectionGuard;
import countapp.api.HttpVerticle;
import countapp.api.Limits;
import countapp.config.ClusterSecret;
import countapp.config.Config;
import countapp.config.ConfigException;
import countapp.config.ConfigLoader;
import countapp.store.Stores;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator process: the public API, the supervisor of its workers, and the router between them.
 * Stopping it (SIGINT, SIGTERM) stops every worker it spawned.
 */
public final class Coordinator {
    private static final Logger LOG = LoggerFactory.getLogger(Coordinator.class);
    private static final Duration FORWARD_TIMEOUT = Duration.ofSeconds(30);

    private final Config config;
    private final Vertx vertx;
    private final WorkerClient client;
    private final Supervisor supervisor;
    private final AtomicBoolean stopped = new AtomicBoolean();

    private Coordinator(Config config) {
        this.config = config;
        int partitions = Stores.partitions(config);
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        // A configured secret is shared with remote workers; otherwise spawned workers get a fresh one.
        ClusterSecret secret = config.clusterSecret() != null ? config.clusterSecret() : ClusterSecret.random();
        this.client = new WorkerClient(vertx, secret);
        this.supervisor = new Supervisor(config, partitions, client, System::currentTimeMillis,
                new WorkerLauncher(secret));
    }

    /** Starts the workers and the public API; returns once the API listens. */
    public static Coordinator start(Config config) throws Exception {
        Coordinator c = new Coordinator(config);
        Runtime.getRuntime().addShutdownHook(new Thread(c::stop, "shutdown"));
        c.supervisor.start();
        c.watchConfig();
        Forwarder forwarder = new Forwarder(c.vertx, c.client, c.supervisor::routing, FORWARD_TIMEOUT);
        CoordinatorHandler handler = new CoordinatorHandler(forwarder, c.supervisor);
        Supplier<Limits> limits = () -> c.supervisor.config().limits();
        ConnectionGuard guard = new ConnectionGuard(c.vertx, limits);
        try {
            c.vertx.deployVerticle(() -> new HttpVerticle("0.0.0.0", config.listen(), limits, guard, handler), new DeploymentOptions().setInstances(2))
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            c.stop();
            throw new IllegalStateException("cannot listen on port " + config.listen() + ": " + e.getCause().getMessage(), e);
        }
        LOG.info("Coordinator is up on :{} ({} workers, database {})", config.listen(), config.workers().size(),
                config.databaseName());
        return c;
    }

    /** Re-reads the config file every {@code config_check} seconds; a bad file keeps the last good config. */
    private void watchConfig() {
        Thread t = new Thread(() -> {
            Config current = config;
            while (!stopped.get()) {
                try {
                    Thread.sleep(supervisor.config().configCheck().toMillis());
                    Config fresh = ConfigLoader.load(current.source());
                    if (!fresh.equals(current)) {
                        LOG.info("config {} changed; applying it", fresh.source());
                        supervisor.apply(fresh);
                        current = fresh;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (ConfigException e) {
                    LOG.error("config reload failed; the last good config stays in force: {}", e.getMessage());
                } catch (RuntimeException e) {
                    LOG.error("config reload failed; the last good config stays in force", e);
                }
            }
        }, "config-watch");
        t.setDaemon(true);
        t.start();
    }

    /** Stops the API and every spawned worker (gracefully, then forcibly). Idempotent. */
    public void stop() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        LOG.info("coordinator stopping: stopping its workers");
        supervisor.stop();
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("HTTP server did not close cleanly: {}", e.toString());
        }
        LOG.info("coordinator stopped");
    }
}
