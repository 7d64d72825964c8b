package countapp.coordinator;

import countapp.http.Admission;
import countapp.api.ApiException;
import countapp.api.CountPath;
import countapp.http.Failures;
import countapp.http.Http;
import countapp.api.ItemParser;
import countapp.api.Json;
import countapp.model.ItemBatch;
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
final class CoordinatorHandler implements Handler<HttpServerRequest> {
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
        switch (path) {
            case "/items":
                if (method == HttpMethod.POST) {
                    postItems(req);
                } else {
                    Http.methodNotAllowed(req, "POST");
                }
                return;
            case "/health":
                // Public on purpose: a load balancer's check carries no key. It says only whether this
                // coordinator runs and is settled, nothing about workers or data.
                get(req, () -> Http.json(req.response(), 200, StatusJson.health(supervisor)));
                return;
            case "/":
                ops(req, () -> Http.json(req.response(), 200, StatusJson.of(supervisor)));
                return;
            case "/status":
                ops(req, () -> Http.json(req.response(), 200, status.snapshot().toJson()));
                return;
            case "/metrics":
                ops(req, () -> metrics.serve(req));
                return;
            case "/dashboard":
                ops(req, () -> dashboard.serve(req));
                return;
            default:
                tenantRoute(req, path, method);
        }
    }

    /** An ops endpoint: with auth on, only for a key with {@code ops: true}. */
    private void ops(HttpServerRequest req, Runnable answer) {
        OpsAccess.require(req, supervisor.config().auth(), null);
        get(req, answer);
    }

    private static void get(HttpServerRequest req, Runnable answer) {
        if (req.method() == HttpMethod.GET || req.method() == HttpMethod.HEAD) {
            answer.run();
        } else {
            Http.methodNotAllowed(req, "GET");
        }
    }

    /** {@code /items/{tenant}/count} and {@code /items/{tenant}/ids}; the count suffix wins when both fit. */
    private void tenantRoute(HttpServerRequest req, String path, HttpMethod method) {
        String tenant;
        boolean ids = false;
        try {
            tenant = CountPath.tenant(path);
            if (tenant == null) {
                tenant = CountPath.tenant(path, CountPath.IDS_SUFFIX);
                ids = true;
            }
        } catch (ApiException e) {
            Http.error(req, e);
            return;
        }
        if (tenant == null) {
            Http.notFound(req);
        } else if (method != HttpMethod.GET) {
            Http.methodNotAllowed(req, "GET");
        } else {
            Auth auth = supervisor.config().auth();
            if (auth.enabled()) {
                Auth.authorize(auth.authenticate(req.getHeader(HttpHeaders.AUTHORIZATION)), tenant);
            }
            Admission.Ticket ticket = admission.admit();
            if (ids) {
                ids(req, tenant, ticket);
                return;
            }
            forwarder.count(tenant).onComplete(ar -> {
                ticket.release();
                if (ar.succeeded()) {
                    Http.json(req.response(), 200, Json.count(ar.result()));
                } else {
                    fail(req, ar.cause());
                }
            });
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
                .map(body -> parser.parse(body.getBytes()))
                .map(batch -> authorize(key, batch))
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
                        fail(req, ar.cause());
                    }
                });
    }

    private static ItemBatch authorize(Auth.Key key, ItemBatch batch) {
        if (key != null) {
            String last = null;
            for (int i = 0; i < batch.size(); i++) {
                String tenant = batch.tenant(i);
                if (!tenant.equals(last)) {
                    Auth.authorize(key, tenant);
                    last = tenant;
                }
            }
        }
        return batch;
    }

    /**
     * Relays the owner's stream of JSON lines. Once the first byte is sent, a failure on either side closes
     * both connections: a cut-off dump must look broken to the client, never complete.
     */
    private void ids(HttpServerRequest req, String tenant, Admission.Ticket ticket) {
        forwarder.ids(tenant).onComplete(ar -> {
            if (ar.failed()) {
                ticket.release();
                fail(req, ar.cause());
                return;
            }
            HttpClientResponse source = ar.result();
            HttpServerResponse resp = req.response();
            String type = source.getHeader(HttpHeaders.CONTENT_TYPE);
            resp.setStatusCode(200).setChunked(true)
                    .putHeader(HttpHeaders.CONTENT_TYPE, type == null ? "application/x-ndjson" : type);
            resp.closeHandler(v -> {
                ticket.release();
                source.request().reset();
            });
            source.pipe().endOnFailure(false).to(resp).onComplete(v -> ticket.release()).onFailure(e -> {
                LOG.warn("GET {} broke off: {}", req.path(), e.toString());
                source.request().reset();
                req.connection().close();
            });
        });
    }

    private static void fail(HttpServerRequest req, Throwable cause) {
        ApiException e = Failures.toApi(cause);
        if (e.status() >= 500) {
            LOG.warn("{} {} failed: {}", req.method(), req.path(), e.getMessage());
        }
        Http.error(req, e);
    }
}
