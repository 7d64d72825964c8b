package countapp.worker;

import countapp.api.ApiException;
import countapp.api.CountPath;
import countapp.api.Failures;
import countapp.api.Http;
import countapp.api.ItemBatch;
import countapp.api.ItemParser;
import countapp.api.Json;
import countapp.config.Auth;
import countapp.metrics.IngestMetrics;
import countapp.metrics.Metrics;
import countapp.config.ClusterSecret;
import countapp.config.Config;
import countapp.ops.OpsAccess;
import io.vertx.core.http.HttpHeaders;
import countapp.placement.Partitioner;
import countapp.store.Partition;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.LongStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The worker's HTTP API. Stateless apart from the worker it serves; safe on any event loop. */
final class WorkerHandler implements Handler<HttpServerRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerHandler.class);

    private final Worker worker;
    private final PartitionTable table;
    private final Partitioner partitioner;
    private final Metrics metrics;
    private final IngestMetrics ingest;

    WorkerHandler(Worker worker, PartitionTable table, Metrics metrics, IngestMetrics ingest) {
        this.worker = worker;
        this.table = table;
        this.partitioner = new Partitioner(table.partitions());
        this.metrics = metrics;
        this.ingest = ingest;
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
            partition = table.active(partitioner.partitionOf(tenant));
        } catch (RuntimeException e) {
            fail(req, e);
            return;
        }
        IdStream.start(worker, req, partition, tenant);
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
        Http.json(req.response(), 200, "{\"status\":\"ok\",\"port\":" + worker.port() + ",\"pid\":"
                + ProcessHandle.current().pid() + ",\"uptime_ms\":" + worker.uptimeMillis() + ","
                + PartitionList.toJson(table.owned()).substring(1));
    }

    /**
     * {@code POST /items}. With {@code ?segments=n1,n2,…} (the coordinator's coalesced requests) the body is
     * several client sub-batches back to back, and the answer also says how many pairs each one added.
     */
    private void postItems(HttpServerRequest req) {
        Config config = worker.config();
        Auth.Key key = caller(req, config);
        ItemParser parser = new ItemParser(config.limits());
        String segmentParam = req.getParam("segments");
        worker.requestStarted();
        Http.readBody(req, config.limits())
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
                    int[] ends = Segments.ends(segmentParam, batch.size());
                    ingest.received(batch.size());
                    return Future.fromCompletionStage(store(batch, ends).thenApply(added -> {
                        long total = LongStream.of(added).sum();
                        ingest.added(total);
                        return segmentParam == null ? Json.received(batch.size(), total)
                                : Json.receivedSegments(batch.size(), added, total);
                    }), Vertx.currentContext());
                })
                .onComplete(ar -> {
                    worker.requestFinished();
                    if (ar.succeeded()) {
                        Http.json(req.response(), 200, ar.result());
                    } else {
                        fail(req, ar.cause());
                    }
                });
    }

    /**
     * Splits each segment of the batch by partition and adds each part; completes with the pairs added per
     * segment. Checks ownership of every partition before writing any.
     */
    private CompletableFuture<long[]> store(ItemBatch batch, int[] segmentEnds) {
        int n = batch.size();
        int[] partitionOf = new int[n];
        Partition[] targets = new Partition[table.partitions()];
        for (int i = 0; i < n; i++) {
            int p = partitioner.partitionOf(batch.tenant(i));
            partitionOf[i] = p;
            if (targets[p] == null) {
                targets[p] = table.active(p); // throws PartitionClosedException before anything is written
            }
        }
        List<CompletableFuture<Long>> parts = new ArrayList<>();
        List<Integer> partSegment = new ArrayList<>();
        int[] sizes = new int[targets.length];
        int from = 0;
        for (int s = 0; s < segmentEnds.length; s++) {
            int to = segmentEnds[s];
            Arrays.fill(sizes, 0);
            for (int i = from; i < to; i++) {
                sizes[partitionOf[i]]++;
            }
            int[][] indices = new int[targets.length][];
            int[] fill = new int[targets.length];
            for (int i = from; i < to; i++) {
                int p = partitionOf[i];
                if (indices[p] == null) {
                    indices[p] = new int[sizes[p]];
                }
                indices[p][fill[p]++] = i;
            }
            for (int p = 0; p < targets.length; p++) {
                if (indices[p] != null) {
                    parts.add(targets[p].add(batch, indices[p], sizes[p]));
                    partSegment.add(s);
                }
            }
            from = to;
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(v -> {
            long[] added = new long[segmentEnds.length];
            for (int i = 0; i < parts.size(); i++) {
                added[partSegment.get(i)] += parts.get(i).join();
            }
            return added;
        });
    }

    private void count(HttpServerRequest req, String tenant) {
        Auth.Key key = caller(req, worker.config());
        if (key != null) {
            Auth.authorize(key, tenant);
        }
        worker.requestStarted();
        CompletableFuture<Long> count;
        try {
            count = table.active(partitioner.partitionOf(tenant)).count(tenant);
        } catch (RuntimeException e) {
            count = CompletableFuture.failedFuture(e);
        }
        Future.fromCompletionStage(count, Vertx.currentContext()).onComplete(ar -> {
            worker.requestFinished();
            if (ar.succeeded()) {
                Http.json(req.response(), 200, Json.count(ar.result()));
            } else {
                fail(req, ar.cause());
            }
        });
    }

    private void assign(HttpServerRequest req) {
        Http.readBody(req, worker.config().limits())
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
