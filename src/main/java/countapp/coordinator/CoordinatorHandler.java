package countapp.coordinator;

import countapp.api.ApiException;
import countapp.api.CountPath;
import countapp.api.Failures;
import countapp.api.Http;
import countapp.api.ItemParser;
import countapp.api.Json;
import countapp.api.Limits;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public API. A POST is parsed and validated whole here, before anything is forwarded, so a rejected
 * request reaches no worker and changes nothing.
 */
final class CoordinatorHandler implements Handler<HttpServerRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(CoordinatorHandler.class);

    private final Forwarder forwarder;
    private final Supervisor supervisor;
    private final Limits limits;
    private final ItemParser parser;

    CoordinatorHandler(Forwarder forwarder, Supervisor supervisor, Limits limits) {
        this.forwarder = forwarder;
        this.supervisor = supervisor;
        this.limits = limits;
        this.parser = new ItemParser(limits);
    }

    @Override
    public void handle(HttpServerRequest req) {
        String path = req.path();
        HttpMethod method = req.method();
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
            String tenant;
            try {
                tenant = CountPath.tenant(path);
            } catch (ApiException e) {
                Http.error(req, e);
                return;
            }
            if (tenant == null) {
                Http.notFound(req);
            } else if (method != HttpMethod.GET) {
                Http.methodNotAllowed(req, "GET");
            } else {
                forwarder.count(tenant).onComplete(ar -> {
                    if (ar.succeeded()) {
                        Http.json(req.response(), 200, Json.count(ar.result()));
                    } else {
                        fail(req, ar.cause());
                    }
                });
            }
        }
    }

    private void postItems(HttpServerRequest req) {
        Http.readBody(req, limits)
                .map(body -> parser.parse(body.getBytes()))
                .compose(batch -> forwarder.add(batch).map(added -> Json.received(batch.size(), added)))
                .onComplete(ar -> {
                    if (ar.succeeded()) {
                        Http.json(req.response(), 200, ar.result());
                    } else {
                        fail(req, ar.cause());
                    }
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
