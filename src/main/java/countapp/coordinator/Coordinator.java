package countapp.coordinator;

import countapp.api.HttpVerticle;
import countapp.api.Limits;
import countapp.config.Config;
import countapp.store.DatabaseMeta;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
        DatabaseMeta meta = DatabaseMeta.loadOrCreate(config.database(), config.partitions());
        if (meta.partitions() != config.partitions()) {
            LOG.warn("database {} was created with {} partitions; the config's partitions: {} applies only to new "
                    + "databases", config.database(), meta.partitions(), config.partitions());
        }
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        this.client = new WorkerClient(vertx);
        this.supervisor = new Supervisor(config, meta.partitions(), client);
    }

    /** Starts the workers and the public API; returns once the API listens. */
    public static Coordinator start(Config config) throws Exception {
        Coordinator c = new Coordinator(config);
        Runtime.getRuntime().addShutdownHook(new Thread(c::stop, "shutdown"));
        c.supervisor.start();
        Forwarder forwarder = new Forwarder(c.vertx, c.client, c.supervisor::routing, FORWARD_TIMEOUT);
        CoordinatorHandler handler = new CoordinatorHandler(forwarder, c.supervisor, Limits.DEFAULT);
        HttpServerOptions http = new HttpServerOptions().setPort(config.listen())
                .setIdleTimeout(120).setIdleTimeoutUnit(TimeUnit.SECONDS);
        try {
            c.vertx.deployVerticle(() -> new HttpVerticle(http, handler), new DeploymentOptions().setInstances(2))
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            c.stop();
            throw new IllegalStateException("cannot listen on port " + config.listen() + ": " + e.getCause().getMessage(), e);
        }
        LOG.info("Coordinator is up on :{} ({} workers, database {})", config.listen(), config.workers().size(),
                config.database());
        return c;
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
