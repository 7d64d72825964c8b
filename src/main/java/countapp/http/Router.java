package countapp.http;

import countapp.api.ApiException;
import countapp.api.Endpoint;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The one request dispatch of both processes. A path is classified once, by {@link Endpoint#of} (the same
 * classification labels the request metrics); a method the endpoint does not serve is answered 405 with
 * its {@code Allow} list, a path no route serves 404, and an {@link ApiException} thrown by a route is
 * answered with its status. Routes are registered before the server starts and never change after.
 */
public final class Router implements Handler<HttpServerRequest> {
    private final Map<Endpoint, Map<HttpMethod, Handler<HttpServerRequest>>> routes = new EnumMap<>(Endpoint.class);

    /** Serves {@code endpoint} with {@code handler} for each of {@code methods}. */
    public Router route(Endpoint endpoint, Handler<HttpServerRequest> handler, HttpMethod... methods) {
        Map<HttpMethod, Handler<HttpServerRequest>> byMethod = routes.computeIfAbsent(endpoint, e -> new LinkedHashMap<>());
        for (HttpMethod m : methods) {
            if (byMethod.putIfAbsent(m, handler) != null) {
                throw new IllegalStateException(m + " " + endpoint.label() + " is routed twice");
            }
        }
        return this;
    }

    /** A read-only endpoint: GET, and HEAD for the checks that only want the status. */
    public Router get(Endpoint endpoint, Handler<HttpServerRequest> handler) {
        return route(endpoint, handler, HttpMethod.GET, HttpMethod.HEAD);
    }

    @Override
    public void handle(HttpServerRequest req) {
        try {
            Map<HttpMethod, Handler<HttpServerRequest>> byMethod = routes.get(Endpoint.of(req.path()));
            if (byMethod == null) {
                Http.notFound(req);
                return;
            }
            Handler<HttpServerRequest> handler = byMethod.get(req.method());
            if (handler == null) {
                Http.methodNotAllowed(req, byMethod.keySet().stream().filter(m -> !m.equals(HttpMethod.HEAD))
                        .map(HttpMethod::name).collect(Collectors.joining(", ")));
                return;
            }
            handler.handle(req);
        } catch (ApiException e) {
            Http.error(req, e);
        }
    }
}
