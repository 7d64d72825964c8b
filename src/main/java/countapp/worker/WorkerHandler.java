package countapp.worker;

import countapp.api.WindowQuery;
import countapp.model.Window;
import org.jspecify.annotations.Nullable;
import countapp.http.Admission;
import countapp.api.ApiException;
import countapp.api.CountPath;
import countapp.http.Failures;
import countapp.http.Http;
import countapp.http.Router;
import countapp.api.Endpoint;
import countapp.api.ItemParser;
import countapp.api.Json;
import countapp.api.PartitionList;
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

/** The worker's HTTP API. Stateless apart from the worker it serves; safe on any event loop. */
final class WorkerHandler {

    private final Worker worker;
    private final PartitionTable table;
    private final Ingest ingest;
    /** Tenant erasures of the channel and of {@code DELETE /items/{tenant}} alike: a re-send joins one that runs. */
    private final TenantErasures erasures = new TenantErasures(System::nanoTime);
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
        this.channel = new ChannelEndpoint(
                new ChannelEndpoint.Activity(worker::stopping, worker::requestStarted, worker::requestFinished),
                ingest, erasures, ingestMetrics, new countapp.metrics.ChannelMetrics(metrics.registry()));
        this.metrics = metrics;
        this.ingestMetrics = ingestMetrics;
    }

    /** The worker's routes; the coordinator's own calls (the channel, assignments, /kill) need the cluster secret. */
    Router router() {
        return new Router()
                // With auth on, health and metrics need an ops key, or the cluster secret (the coordinator's checks).
                .get(Endpoint.ROOT, opsOrSecret(this::health))
                .get(Endpoint.METRICS, opsOrSecret(metrics::serve)) // also while stopping: the last scrape shows the drain
                .route(Endpoint.KILL, secret(this::kill), HttpMethod.GET, HttpMethod.POST)
                .route(Endpoint.CHANNEL, secret(this::channel), HttpMethod.GET)
                .route(Endpoint.ITEMS, unlessStopping(this::postItems), HttpMethod.POST)
                .route(Endpoint.PARTITIONS, unlessStopping(secret(this::assign)), HttpMethod.PUT)
                .get(Endpoint.PARTITIONS, unlessStopping(secret(
                        req -> Http.json(req.response(), 200, PartitionList.toJson(table.owned())))))
                .get(Endpoint.COUNT, unlessStopping(req -> count(req, CountPath.require(req.path(), CountPath.SUFFIX))))
                .get(Endpoint.IDS, unlessStopping(req -> ids(req, CountPath.require(req.path(), CountPath.IDS_SUFFIX))))
                .route(Endpoint.PAIR, unlessStopping(this::erasePair), HttpMethod.DELETE)
                .route(Endpoint.TENANT, unlessStopping(this::eraseTenant), HttpMethod.DELETE)
                .get(Endpoint.COUNTS, unlessStopping(secret(this::counts)));
    }

    private Handler<HttpServerRequest> opsOrSecret(Handler<HttpServerRequest> route) {
        return req -> {
            OpsAccess.require(req, worker.config().auth(), worker.secret());
            route.handle(req);
        };
    }

    private Handler<HttpServerRequest> secret(Handler<HttpServerRequest> route) {
        return req -> {
            requireSecret(req);
            route.handle(req);
        };
    }

    private Handler<HttpServerRequest> unlessStopping(Handler<HttpServerRequest> route) {
        return req -> {
            if (worker.stopping()) {
                throw new ApiException(503, "worker on port " + worker.port() + " is stopping");
            }
            route.handle(req);
        };
    }

    private void kill(HttpServerRequest req) {
        Http.json(req.response(), 200, "{\"status\":\"stopping\",\"port\":" + worker.port() + "}")
                .onComplete(v -> worker.stopAndExit("a /kill request"));
    }

    private void channel(HttpServerRequest req) {
        if (!Channel.UPGRADE.equalsIgnoreCase(req.getHeader(HttpHeaders.UPGRADE))) {
            throw new ApiException(400, "GET " + Channel.PATH + " with Upgrade: " + Channel.UPGRADE + " only");
        }
        channel.accept(req);
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
            Failures.answer(req, e);
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
    private Auth.@Nullable Key caller(HttpServerRequest req, Config config) {
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
                .map(parser::parse)
                .map(batch -> Auth.authorize(key, batch))
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
                        Failures.answer(req, ar.cause());
                    }
                });
    }

    private void count(HttpServerRequest req, String tenant) {
        Auth.Key key = caller(req, worker.config());
        if (key != null) {
            Auth.authorize(key, tenant); // before the query: no 400 tells an unknown caller anything
        }
        Window window = WindowQuery.count(req.query());
        onPartition(req, tenant, p -> p.count(tenant, window), count -> WindowQuery.answer(count, window, req.query()));
    }

    private void erasePair(HttpServerRequest req) {
        CountPath.Pair pair = CountPath.requirePair(req.path());
        onPartition(req, pair.tenant(), p -> p.erase(pair.tenant(), pair.id()), Json::erased);
    }

    private void eraseTenant(HttpServerRequest req) {
        String tenant = CountPath.requireTenant(req.path());
        onPartition(req, tenant, p -> erasures.start(p, tenant, 0).result(), Json::erased);
    }

    /**
     * Authorises the caller for {@code tenant}, runs {@code operation} on the tenant's partition (421 when it
     * is not open here) and answers 200 with {@code answer} of its result.
     */
    private void onPartition(HttpServerRequest req, String tenant,
            java.util.function.Function<Partition, CompletableFuture<Long>> operation,
            java.util.function.LongFunction<String> answer) {
        Auth.Key key = caller(req, worker.config());
        if (key != null) {
            Auth.authorize(key, tenant);
        }
        Admission.Ticket ticket = admission.admit();
        worker.requestStarted();
        CompletableFuture<Long> result;
        try {
            result = operation.apply(ingest.owner(tenant));
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        Future.fromCompletionStage(result, Vertx.currentContext()).onComplete(ar -> {
            ticket.release();
            worker.requestFinished();
            if (ar.succeeded()) {
                Http.json(req.response(), 200, answer.apply(ar.result()));
            } else {
                Failures.answer(req, ar.cause());
            }
        });
    }

    /** {@code GET /counts?partition=P&window=…}: the coordinator's export, one partition at a time. */
    private void counts(HttpServerRequest req) {
        String query = req.query() == null ? "" : req.query();
        int partition = -1;
        StringBuilder rest = new StringBuilder();
        for (String param : query.split("&", -1)) {
            if (param.startsWith("partition=")) {
                try {
                    partition = Integer.parseInt(param.substring("partition=".length()));
                } catch (NumberFormatException e) {
                    throw new ApiException(400, "partition must be a number");
                }
            } else if (!param.isEmpty()) {
                rest.append(rest.length() == 0 ? "" : "&").append(param);
            }
        }
        if (partition < 0 || partition >= table.partitions()) {
            throw new ApiException(400, "partition must be from 0 to " + (table.partitions() - 1));
        }
        Window window = WindowQuery.export(rest.toString());
        Partition p;
        try {
            p = table.active(partition);
        } catch (RuntimeException e) {
            Failures.answer(req, e);
            return;
        }
        CountStream.start(worker, req, p.counts(window), admission.admit());
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
                        Failures.answer(req, ar.cause());
                    }
                });
    }
}
