package countapp.coordinator;

import countapp.api.ApiException;
import countapp.api.CountPath;
import countapp.api.Failures;
import countapp.api.Http;
import countapp.api.ItemBatch;
import countapp.api.ItemParser;
import countapp.api.Json;
import countapp.config.Auth;
import countapp.config.Config;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public API. A POST is parsed, validated and authorised whole here, before anything is forwarded, so
 * a rejected request reaches no worker and changes nothing. Only parsed items are forwarded, re-encoded:
 * no client header or raw byte reaches a worker. Limits and keys come from the config in force, so a
 * reload (a revoked key) applies to the next request.
 */
final class CoordinatorHandler implements Handler<HttpServerRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(CoordinatorHandler.class);

    private final Forwarder forwarder;
    private final Supervisor supervisor;

    CoordinatorHandler(Forwarder forwarder, Supervisor supervisor) {
        this.forwarder = forwarder;
        this.supervisor = supervisor;
    }

    @Override
    public void handle(HttpServerRequest req) {
        String path = req.path();
        HttpMethod method = req.method();
        try {
            if ("/items".equals(path)) {
                if (method == HttpMethod.POST) {
                    postItems(req);
                } else {
                    Http.methodNotAllowed(req, "POST");
                }
            } else if ("/".equals(path)) {
                if (method == HttpMethod.GET || method == HttpMethod.HEAD) {
                    Http.json(req.response(), 200, StatusJson.of(supervisor));
                } else {
                    Http.methodNotAllowed(req, "GET");
                }
            } else {
                String tenant = CountPath.tenant(path);
                if (tenant == null) {
                    Http.notFound(req);
                } else if (method != HttpMethod.GET) {
                    Http.methodNotAllowed(req, "GET");
                } else {
                    count(req, tenant);
                }
            }
        } catch (ApiException e) {
            Http.error(req, e);
        }
    }

    private void count(HttpServerRequest req, String tenant) {
        Auth auth = supervisor.config().auth();
        if (auth.enabled()) {
            Auth.authorize(auth.authenticate(req.getHeader(HttpHeaders.AUTHORIZATION)), tenant);
        }
        forwarder.count(tenant).onComplete(ar -> {
            if (ar.succeeded()) {
                Http.json(req.response(), 200, Json.count(ar.result()));
            } else {
                fail(req, ar.cause());
            }
        });
    }

    private void postItems(HttpServerRequest req) {
        Config config = supervisor.config();
        Auth auth = config.auth();
        // Authenticate before reading the body: an unknown caller does not get to upload 16 MiB first.
        Auth.Key key = auth.enabled() ? auth.authenticate(req.getHeader(HttpHeaders.AUTHORIZATION)) : null;
        ItemParser parser = new ItemParser(config.limits());
        Http.readBody(req, config.limits())
                .map(body -> parser.parse(body.getBytes()))
                .map(batch -> authorize(key, batch))
                .compose(batch -> forwarder.add(batch).map(added -> Json.received(batch.size(), added)))
                .onComplete(ar -> {
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

    private static void fail(HttpServerRequest req, Throwable cause) {
        ApiException e = Failures.toApi(cause);
        if (e.status() >= 500) {
            LOG.warn("{} {} failed: {}", req.method(), req.path(), e.getMessage());
        }
        Http.error(req, e);
    }
}
