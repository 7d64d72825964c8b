package countapp.coordinator;

import countapp.http.Admission;
import countapp.http.ConnectionGuard;
import countapp.http.HttpVerticle;
import countapp.model.Limits;
import countapp.config.ClusterSecret;
import countapp.config.Config;
import countapp.metrics.ClusterMetrics;
import countapp.api.Endpoint;
import countapp.metrics.ForwardMetrics;
import countapp.metrics.HttpMetrics;
import countapp.metrics.IngestMetrics;
import countapp.metrics.Metrics;
import countapp.metrics.Trend;
import countapp.ops.Banner;
import countapp.ops.Dashboard;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.util.EnumSet;
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
    /** The dashboard's sparklines: one point a second over the last two minutes. */
    private static final long TREND_INTERVAL_MS = 1000;
    private static final int TREND_POINTS = 120;

    /** The version the banner and {@code --version} show. */
    public static final String VERSION = "0.1.0";

    private final Vertx vertx;
    private final WorkerClient client;
    private final ClusterSecret secret;
    private final Metrics metrics = Metrics.create();
    private final Supervisor supervisor;
    private final ConfigWatcher watcher;
    private final AtomicBoolean stopped = new AtomicBoolean();

    private Coordinator(Config config) {
        int partitions = PartitionCount.of(config);
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        // A configured secret is shared with remote workers; otherwise spawned workers get a fresh one.
        this.secret = config.clusterSecret() != null ? config.clusterSecret() : ClusterSecret.random();
        this.client = new WorkerClient(vertx, secret);
        this.supervisor = new Supervisor(config, partitions, client, System::currentTimeMillis,
                new WorkerLauncher(secret), new ClusterMetrics(metrics.registry()));
        this.watcher = new ConfigWatcher(supervisor, config);
    }

    /** Starts the workers and the public API; returns once the API listens. */
    public static Coordinator start(Config config) throws Exception {
        Coordinator c = new Coordinator(config);
        Runtime.getRuntime().addShutdownHook(new Thread(c::stop, "shutdown"));
        c.supervisor.start();
        c.watcher.start();
        var handler = c.handler();
        Supplier<Limits> limits = () -> c.supervisor.config().limits();
        ConnectionGuard guard = new ConnectionGuard(c.vertx, limits);
        try {
            c.vertx.deployVerticle(() -> new HttpVerticle(config.listen().address(), config.listen().port(), limits,
                    guard, handler),
                    new DeploymentOptions().setInstances(2))
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            c.stop();
            throw new IllegalStateException("cannot listen on " + config.listen() + ": " + e.getCause().getMessage(), e);
        }
        LOG.info("Coordinator is up on {} ({} workers, database {}, {})", config.listen(), config.workers().size(),
                config.databaseName(), config.apiOpen() ? "auth off: the API is open to whoever can connect"
                        : "auth on");
        System.out.println(Banner.coordinator(config, c.supervisor.partitions(), VERSION));
        return c;
    }

    /** The public API, with request metrics around it. */
    private Handler<HttpServerRequest> handler() {
        IngestMetrics ingest = new IngestMetrics(metrics.registry());
        ForwardMetrics forward = new ForwardMetrics(metrics.registry());
        HttpMetrics http = new HttpMetrics(metrics.registry(), EnumSet.of(Endpoint.ROOT, Endpoint.HEALTH, Endpoint.ITEMS,
                Endpoint.COUNT, Endpoint.IDS, Endpoint.STATUS, Endpoint.METRICS, Endpoint.DASHBOARD));
        Trend trend = new Trend(ingest, http.timer(Endpoint.ITEMS, 200), TREND_POINTS, System::nanoTime);
        vertx.setPeriodic(TREND_INTERVAL_MS, id -> trend.sample(System.currentTimeMillis()));
        Forwarder forwarder = new Forwarder(vertx, client, new WorkerChannels(vertx, secret), supervisor::routing,
                () -> supervisor.config().failoverTimeout(), System::nanoTime, forward);
        StatusReport status = new StatusReport(supervisor, watcher, ingest, forward, trend);
        Admission admission = new Admission(() -> supervisor.config().limits());
        CoordinatorHandler api = new CoordinatorHandler(forwarder, supervisor, ingest, metrics, status, new Dashboard(),
                admission);
        return http.instrument(api.router());
    }

    /** Stops the API and every spawned worker (gracefully, then forcibly). Idempotent. */
    public void stop() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        LOG.info("coordinator stopping: stopping its workers");
        watcher.stop();
        supervisor.stop();
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("HTTP server did not close cleanly: {}", e.toString());
        }
        metrics.close();
        LOG.info("coordinator stopped");
    }
}
