package countapp.http;

import countapp.model.Limits;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One HTTP server instance behind the {@link ConnectionGuard}; deploying several on one port spreads
 * connections over event loops. Header size limits are fixed when the server starts.
 */
public final class HttpVerticle extends VerticleBase {
    private final String host;
    private final int port;
    private final Supplier<Limits> limits;
    private final ConnectionGuard guard;
    private final Handler<HttpServerRequest> handler;

    public HttpVerticle(String host, int port, Supplier<Limits> limits, ConnectionGuard guard,
            Handler<HttpServerRequest> handler) {
        this.host = host;
        this.port = port;
        this.limits = limits;
        this.guard = guard;
        this.handler = handler;
    }

    @Override
    public Future<?> start() {
        Limits l = limits.get();
        HttpServerOptions options = new HttpServerOptions().setHost(host).setPort(port)
                .setMaxHeaderSize(l.maxHeaderBytes())
                .setMaxInitialLineLength(l.maxHeaderBytes())
                // A backstop against dead peers only: slow and idle clients are the guard's business,
                // and a request may legitimately wait (for a failover) without bytes flowing.
                .setIdleTimeout(120)
                .setIdleTimeoutUnit(TimeUnit.SECONDS);
        return vertx.createHttpServer(options)
                .connectionHandler(guard::onConnection)
                .invalidRequestHandler(req -> Http.invalidRequest(req, limits.get()))
                .requestHandler(req -> {
                    guard.onRequest(req);
                    handler.handle(req);
                })
                .listen();
    }
}
