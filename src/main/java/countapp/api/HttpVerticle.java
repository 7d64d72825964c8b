package countapp.api;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;

/** One HTTP server instance; deploying several on one port spreads connections over event loops. */
public final class HttpVerticle extends VerticleBase {
    private final HttpServerOptions options;
    private final Handler<HttpServerRequest> handler;

    public HttpVerticle(HttpServerOptions options, Handler<HttpServerRequest> handler) {
        this.options = options;
        this.handler = handler;
    }

    @Override
    public Future<?> start() {
        return vertx.createHttpServer(options).requestHandler(handler).listen();
    }
}
