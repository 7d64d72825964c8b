package countapp.worker;

import countapp.http.Admission;
import countapp.api.ApiException;
import countapp.api.CountPath;
import countapp.http.Failures;
import countapp.http.Http;
import countapp.api.ItemParser;
import countapp.api.Json;
import countapp.config.Auth;
import countapp.metrics.IngestMetrics;
import countapp.protocol.Channel;
import countapp.metrics.Metrics;
import countapp.config.ClusterSecret;
import countapp.config.Config;
import countapp.http.OpsAccess;
import io.vertx.core.http.HttpHeaders;
import countapp.store.Partition;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The worker's HTTP API. Stateless apart from the worker it serves; safe on any event loop. */
final class WorkerHandler implements Handler<HttpServerRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerHandler.class);

    private final Worker worker;
    private final PartitionTable table;
    private final Ingest ingest;
    private final ChannelEndpoint channel;
    private final Metrics metrics;
    private final IngestMetrics ingestMetrics;
    private final Admission admission;
    /** Control messages (assignments) are the coordinator's and tiny: never refused as overload. */
    private final Admission control = Admission.unbounded();

    WorkerHandler(Worker worker, PartitionTable table, Metrics metrics, IngestMetrics ingestMetrics, Admission admission) {
        this.admission = admission;
        this.worker = worker;
        this.table = table;
        this.ingest = new Ingest(table);
        this.channel = new ChannelEndpoint(worker, ingest, ingestMetrics,
                new countapp.metrics.ChannelMetrics(metrics.registry()));
        this.metrics = metrics;
        this.ingestMetrics = ingestMetrics;
    }

    @Override
    public void handle(HttpServerRequest req) {
        try {
            route(req);
        } catch (ApiException e) {
            Http.error(req, e);
        }
    }

    private void route(HttpServerRequest req) {
        String path = req.path();
        HttpMethod method = req.method();
        if ("/".equals(path)) {
            // With auth on, health and metrics need an ops key, or the cluster secret (the coordinator's checks).
            OpsAccess.require(req, worker.config().auth(), worker.secret());
            if (method == HttpMethod.GET || method == HttpMethod.HEAD) {
                health(req);
            } else {
                Http.methodNotAllowed(req, "GET");
            }
        } else if ("/metrics".equals(path)) {
            OpsAccess.require(req, worker.config().auth(), worker.secret());
            if (method == HttpMethod.GET) {
                metrics.serve(req); // also while stopping: the last scrape shows the drain
            } else {
                Http.methodNotAllowed(req, "GET");
            }
        } else if ("/kill".equals(path)) {
            if (method == HttpMethod.GET || method == HttpMethod.POST) {
                requireSecret(req);
                Http.json(req.response(), 200, "{\"status\":\"stopping\",\"port\":" + worker.port() + "}")
                        .onComplete(v -> worker.stopAndExit("a /kill request"));
            } else {
                Http.methodNotAllowed(req, "GET, POST");
            }
        } else if (Channel.PATH.equals(path)) {
            requireSecret(req);
            if (method == HttpMethod.GET && Channel.UPGRADE.equalsIgnoreCase(req.getHeader(HttpHeaders.UPGRADE))) {
                channel.accept(req);
            } else {
                throw new ApiException(400, "GET " + Channel.PATH + " with Upgrade: " + Channel.UPGRADE + " only");
            }
        } else if (worker.stopping()) {
            Http.error(req, new ApiException(503, "worker on port " + worker.port() + " is stopping"));
        } else if ("/items".equals(path)) {
            if (method == HttpMethod.POST) {
                postItems(req);
            } else {
                Http.methodNotAllowed(req, "POST");
            }
        } else if ("/partitions".equals(path)) {
            requireSecret(req);
            if (method == HttpMethod.PUT) {
                assign(req);
            } else if (method == HttpMethod.GET) {
                Http.json(req.response(), 200, PartitionList.toJson(table.owned()));
            } else {
                Http.methodNotAllowed(req, "GET, PUT");
            }
        } else {
            tenantRoute(req, path, method);
        }
    }

    /** {@code /items/{tenant}/count} and {@code /items/{tenant}/ids}; the count suffix wins when both fit. */
    private void tenantRoute(HttpServerRequest req, String path, HttpMethod method) {
        String tenant = CountPath.tenant(path);
        boolean ids = false;
        if (tenant == null) {
            tenant = CountPath.tenant(path, CountPath.IDS_SUFFIX);
            ids = true;
        }
        if (tenant == null) {
            Http.notFound(req);
        } else if (method != HttpMethod.GET) {
            Http.methodNotAllowed(req, "GET");
        } else if (ids) {
            ids(req, tenant);
        } else {
            count(req, tenant);
        }
    }

    private void ids(HttpServerRequest req, String tenant) {
        Auth.Key key = caller(req, worker.config());
        if (key != null) {
            Auth.authorize(key, tenant);
        }
        Partition partition;
        try {
            partition = ingest.owner(tenant);
        } catch (RuntimeException e) {
            fail(req, e);
            return;
        }
        IdStream.start(worker, req, partition, tenant, admission.admit());
    }

    /** 401 without the cluster secret, 403 with a wrong one: only the coordinator controls a worker. */
    private void requireSecret(HttpServerRequest req) {
        String presented = req.getHeader(ClusterSecret.HEADER);
        if (presented == null) {
            throw new ApiException(401, "this endpoint needs the cluster secret (" + ClusterSecret.HEADER + " header)");
        }
        if (!worker.secret().matches(presented)) {
            throw new ApiException(403, "wrong cluster secret");
        }
    }

    /**
     * The caller's API key when auth is on and the request did not come from the coordinator (which sends
     * the cluster secret and has authorised the request already); null when no check is needed.
     */
    private Auth.Key caller(HttpServerRequest req, Config config) {
        if (!config.auth().enabled() || worker.secret().matches(req.getHeader(ClusterSecret.HEADER))) {
            return null;
        }
        return config.auth().authenticate(req.getHeader(HttpHeaders.AUTHORIZATION));
    }

    private void health(HttpServerRequest req) {
        java.util.Map<String, Object> blocked = new java.util.TreeMap<>();
        worker.blockedPartitions().forEach((p, why) -> blocked.put(Integer.toString(p), why));
        Http.json(req.response(), 200, "{\"status\":\"ok\",\"port\":" + worker.port() + ",\"pid\":"
                + ProcessHandle.current().pid() + ",\"uptime_ms\":" + worker.uptimeMillis() + ",\"blocked\":"
                + Json.write(blocked) + "," + PartitionList.toJson(table.owned()).substring(1));
    }

    /** {@code POST /items}, sent by a client directly (the coordinator uses the channel). */
    private void postItems(HttpServerRequest req) {
        Config config = worker.config();
        Auth.Key key = caller(req, config);
        ItemParser parser = new ItemParser(config.limits());
        Admission.Ticket ticket = admission.admit();
        worker.requestStarted();
        Http.readBody(req, config.limits(), ticket)
                .map(body -> parser.parse(body.getBytes()))
                .map(batch -> {
                    if (key != null) {
                        for (int i = 0; i < batch.size(); i++) {
                            Auth.authorize(key, batch.tenant(i));
                        }
                    }
                    return batch;
                })
                .compose(batch -> {
                    ingestMetrics.received(batch.size());
                    return Future.fromCompletionStage(ingest.add(batch).thenApply(added -> {
                        ingestMetrics.added(added);
                        return Json.received(batch.size(), added);
                    }), Vertx.currentContext());
                })
                .onComplete(ar -> {
                    ticket.release();
                    worker.requestFinished();
                    if (ar.succeeded()) {
                        Http.json(req.response(), 200, ar.result());
                    } else {
                        fail(req, ar.cause());
                    }
                });
    }

    private void count(HttpServerRequest req, String tenant) {
        Auth.Key key = caller(req, worker.config());
        if (key != null) {
            Auth.authorize(key, tenant);
        }
        Admission.Ticket ticket = admission.admit();
        worker.requestStarted();
        CompletableFuture<Long> count;
        try {
            count = ingest.owner(tenant).count(tenant);
        } catch (RuntimeException e) {
            count = CompletableFuture.failedFuture(e);
        }
        Future.fromCompletionStage(count, Vertx.currentContext()).onComplete(ar -> {
            ticket.release();
            worker.requestFinished();
            if (ar.succeeded()) {
                Http.json(req.response(), 200, Json.count(ar.result()));
            } else {
                fail(req, ar.cause());
            }
        });
    }

    private void assign(HttpServerRequest req) {
        Admission.Ticket ticket = control.admit();
        Http.readBody(req, worker.config().limits(), ticket)
                .onComplete(ar -> ticket.release())
                .map(body -> PartitionList.parse(body.getBytes()))
                .compose(wanted -> Future.fromCompletionStage(table.assign(wanted), Vertx.currentContext()))
                .onComplete(ar -> {
                    if (ar.succeeded()) {
                        Http.json(req.response(), 200, PartitionList.toJson(ar.result()));
                    } else {
                        fail(req, ar.cause());
                    }
                });
    }

    private void fail(HttpServerRequest req, Throwable cause) {
        ApiException e = Failures.toApi(cause);
        if (e.status() >= 500 && e.status() != 503) {
            LOG.error("{} {} failed", req.method(), req.path(), Failures.unwrap(cause));
        }
        Http.error(req, e);
    }

}
