package countapp.coordinator;

import countapp.http.Admission;
import countapp.api.ApiException;
import countapp.api.CountPath;
import countapp.http.Failures;
import countapp.http.Http;
import countapp.http.Router;
import countapp.api.Endpoint;
import countapp.api.ItemParser;
import countapp.api.WindowQuery;
import countapp.api.OpenApi;
import countapp.model.Window;
import countapp.api.Json;
import countapp.config.Auth;
import countapp.config.Config;
import countapp.metrics.IngestMetrics;
import countapp.metrics.Metrics;
import countapp.ops.Dashboard;
import countapp.http.OpsAccess;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public API. A POST is parsed, validated and authorised whole here, before anything is forwarded, so
 * a rejected request reaches no worker and changes nothing. Only parsed items are forwarded, re-encoded:
 * no client header or raw byte reaches a worker. Limits and keys come from the config in force, so a
 * reload (a revoked key) applies to the next request. With auth on, the ops endpoints need a key with
 * {@code ops: true} (see {@link OpsAccess}); only {@code /health} answers anyone.
 */
final class CoordinatorHandler {
    private static final Logger LOG = LoggerFactory.getLogger(CoordinatorHandler.class);

    private final Forwarder forwarder;
    private final Supervisor supervisor;
    private final IngestMetrics ingest;
    private final Metrics metrics;
    private final StatusReport status;
    private final Dashboard dashboard;
    private final Admission admission;

    CoordinatorHandler(Forwarder forwarder, Supervisor supervisor, IngestMetrics ingest, Metrics metrics,
            StatusReport status, Dashboard dashboard, Admission admission) {
        this.admission = admission;
        this.forwarder = forwarder;
        this.supervisor = supervisor;
        this.ingest = ingest;
        this.metrics = metrics;
        this.status = status;
        this.dashboard = dashboard;
    }

    /** The public routes; with auth on, every one but {@code /health} needs a key. */
    Router router() {
        return new Router()
                .route(Endpoint.ITEMS, this::postItems, HttpMethod.POST)
                // Public on purpose: a load balancer's check carries no key. It says only whether this
                // coordinator runs and is settled, nothing about workers or data.
                .get(Endpoint.HEALTH, req -> Http.json(req.response(), 200, StatusJson.health(supervisor)))
                .get(Endpoint.ROOT, ops(req -> Http.json(req.response(), 200, StatusJson.of(supervisor))))
                .get(Endpoint.STATUS, ops(req -> Http.json(req.response(), 200, status.snapshot().toJson())))
                .get(Endpoint.METRICS, ops(metrics::serve))
                .get(Endpoint.DASHBOARD, ops(dashboard::serve))
                .get(Endpoint.COUNT, req -> count(req, CountPath.require(req.path(), CountPath.SUFFIX)))
                .get(Endpoint.IDS, req -> ids(req, CountPath.require(req.path(), CountPath.IDS_SUFFIX)))
                .route(Endpoint.PAIR, this::erasePair, HttpMethod.DELETE)
                .route(Endpoint.TENANT, this::eraseTenant, HttpMethod.DELETE)
                .get(Endpoint.COUNTS, ops(this::export))
                // Public like /health: it describes the API and holds no data.
                .get(Endpoint.OPENAPI, req -> Http.json(req.response(), 200, OpenApi.document()));
    }

    /** An ops endpoint: with auth on, only for a key with {@code ops: true}. */
    private Handler<HttpServerRequest> ops(Handler<HttpServerRequest> route) {
        return req -> {
            OpsAccess.require(req, supervisor.config().auth(), null);
            route.handle(req);
        };
    }

    /** Authenticates and authorises a read of {@code tenant}, then admits it. */
    private Admission.Ticket admitRead(HttpServerRequest req, String tenant) {
        authorize(req, tenant);
        return admission.admit();
    }

    private void authorize(HttpServerRequest req, String tenant) {
        Auth auth = supervisor.config().auth();
        if (auth.enabled()) {
            Auth.authorize(auth.authenticate(req.getHeader(HttpHeaders.AUTHORIZATION)), tenant);
        }
    }

    private void count(HttpServerRequest req, String tenant) {
        authorize(req, tenant); // who asks comes before what is asked: no 400 tells an unknown caller anything
        Window window = WindowQuery.count(req.query());
        Admission.Ticket ticket = admission.admit();
        forwarder.count(tenant, window).onComplete(ar -> {
            ticket.release();
            if (ar.succeeded()) {
                Http.json(req.response(), 200, WindowQuery.answer(ar.result(), window, req.query()));
            } else {
                Failures.answer(req, ar.cause());
            }
        });
    }

    /** {@code DELETE /items/{tenant}/ids/{id}}: a key that may use the tenant erases one of its pairs. */
    private void erasePair(HttpServerRequest req) {
        CountPath.Pair pair = CountPath.requirePair(req.path());
        Admission.Ticket ticket = admitRead(req, pair.tenant());
        answerErased(req, ticket, forwarder.erase(pair.tenant(), pair.id()));
    }

    /** {@code DELETE /items/{tenant}}: every pair of the tenant. */
    private void eraseTenant(HttpServerRequest req) {
        String tenant = CountPath.requireTenant(req.path());
        Admission.Ticket ticket = admitRead(req, tenant);
        answerErased(req, ticket, forwarder.eraseTenant(tenant));
    }

    private static void answerErased(HttpServerRequest req, Admission.Ticket ticket, io.vertx.core.Future<Long> erased) {
        erased.onComplete(ar -> {
            ticket.release();
            if (ar.succeeded()) {
                Http.json(req.response(), 200, Json.erased(ar.result()));
            } else {
                Failures.answer(req, ar.cause());
            }
        });
    }

    /**
     * {@code GET /counts}: every tenant's count in one window, as JSON lines, relayed partition after
     * partition from each one's owner, so memory holds one chunk whatever the number of tenants. A failure
     * before the first byte is answered with its status; after it, the connection is closed, so a cut-off
     * export never looks complete.
     */
    private void export(HttpServerRequest req) {
        Window window = WindowQuery.export(req.query());
        new Export(req, window, admission.admit()).next(0);
    }

    /** One export's walk over the partitions; on the request's event loop. */
    private final class Export {
        private final HttpServerRequest req;
        private final HttpServerResponse resp;
        private final Window window;
        private final Admission.Ticket ticket;
        private final int partitions = forwarder.partitions();
        private boolean started;
        private boolean done;

        Export(HttpServerRequest req, Window window, Admission.Ticket ticket) {
            this.req = req;
            this.resp = req.response();
            this.window = window;
            this.ticket = ticket;
            resp.closeHandler(v -> finish());
        }

        void next(int partition) {
            if (done) {
                return;
            }
            if (partition == partitions) {
                start();
                resp.end();
                finish();
                return;
            }
            forwarder.counts(partition, window).onComplete(ar -> {
                if (done) {
                    if (ar.succeeded()) {
                        WorkerClient.cancel(ar.result());
                    }
                    return;
                }
                if (ar.failed()) {
                    if (started) {
                        LOG.warn("GET {} broke off at partition {}: {}", req.path(), partition, ar.cause().toString());
                        req.connection().close();
                    } else {
                        Failures.answer(req, ar.cause());
                    }
                    finish();
                    return;
                }
                HttpClientResponse source = ar.result();
                start();
                source.pipe().endOnComplete(false).to(resp).onComplete(piped -> {
                    if (piped.succeeded()) {
                        next(partition + 1);
                    } else {
                        LOG.warn("GET {} broke off at partition {}: {}", req.path(), partition, piped.cause().toString());
                        WorkerClient.cancel(source);
                        req.connection().close();
                        finish();
                    }
                });
            });
        }

        private void start() {
            if (!started) {
                started = true;
                resp.setStatusCode(200).setChunked(true).putHeader(HttpHeaders.CONTENT_TYPE, "application/x-ndjson");
            }
        }

        private void finish() {
            if (!done) {
                done = true;
                ticket.release();
            }
        }
    }

    private void postItems(HttpServerRequest req) {
        Config config = supervisor.config();
        Auth auth = config.auth();
        // Authenticate before reading the body: an unknown caller does not get to upload 16 MiB first.
        Auth.Key key = auth.enabled() ? auth.authenticate(req.getHeader(HttpHeaders.AUTHORIZATION)) : null;
        ItemParser parser = new ItemParser(config.limits());
        Admission.Ticket ticket = admission.admit();
        Http.readBody(req, config.limits(), ticket)
                .map(parser::parse)
                .map(batch -> Auth.authorize(key, batch))
                // Days matter only to windows: without them, they stay off the channel.
                .map(batch -> config.windows().enabled() ? batch : batch.withoutDays())
                .compose(batch -> {
                    ingest.received(batch.size());
                    return forwarder.add(batch).map(added -> {
                        ingest.added(added);
                        return Json.received(batch.size(), added);
                    });
                })
                .onComplete(ar -> {
                    ticket.release();
                    if (ar.succeeded()) {
                        Http.json(req.response(), 200, ar.result());
                    } else {
                        Failures.answer(req, ar.cause());
                    }
                });
    }

    /**
     * Relays the owner's stream of JSON lines. Once the first byte is sent, a failure on either side closes
     * both connections: a cut-off dump must look broken to the client, never complete.
     */
    private void ids(HttpServerRequest req, String tenant) {
        Admission.Ticket ticket = admitRead(req, tenant);
        forwarder.ids(tenant).onComplete(ar -> {
            if (ar.failed()) {
                ticket.release();
                Failures.answer(req, ar.cause());
                return;
            }
            HttpClientResponse source = ar.result();
            HttpServerResponse resp = req.response();
            String type = source.getHeader(HttpHeaders.CONTENT_TYPE);
            resp.setStatusCode(200).setChunked(true)
                    .putHeader(HttpHeaders.CONTENT_TYPE, type == null ? "application/x-ndjson" : type);
            resp.closeHandler(v -> {
                ticket.release();
                WorkerClient.cancel(source);
            });
            source.pipe().endOnFailure(false).to(resp).onComplete(v -> ticket.release()).onFailure(e -> {
                LOG.warn("GET {} broke off: {}", req.path(), e.toString());
                WorkerClient.cancel(source);
                req.connection().close();
            });
        });
    }
}
