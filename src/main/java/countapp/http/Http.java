package countapp.http;

import countapp.api.ApiException;
import countapp.model.Limits;
import countapp.api.ItemParser;
import countapp.api.Json;

import io.vertx.core.Future;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.Map;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/** HTTP plumbing shared by the coordinator and the workers: bounded body reads and JSON answers. */
public final class Http {
    private static final CharSequence JSON = HttpHeaders.createOptimized("application/json");

    /** A body's first allocation; it grows as bytes arrive. */
    private static final int INITIAL_BODY_BUFFER = 1024;

    /** The most of a refused body read and dropped to keep its connection: the default body limit. */
    private static final long MAX_DRAIN_BYTES = 16L << 20;

    private Http() {}

    /**
     * Reads the body, failing with 413 as soon as the declared or streamed size passes the limit, without
     * buffering the rest, and with 503 when {@code ticket} cannot hold another chunk (the server holds its
     * ceiling of body bytes). The buffer grows with the bytes that arrive, never from the declared length:
     * declaring 16 MiB and sending one byte must cost one byte.
     */
    public static Future<Buffer> readBody(HttpServerRequest req, Limits limits, Admission.Ticket ticket) {
        String declared = req.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (declared != null) {
            try {
                if (Long.parseLong(declared.trim()) > limits.maxBodyBytes()) {
                    return Future.failedFuture(ItemParser.tooLarge(limits));
                }
            } catch (NumberFormatException e) {
                return Future.failedFuture(new ApiException(400, "bad Content-Length header"));
            }
        }
        Promise<Buffer> promise = Promise.promise();
        Buffer body = Buffer.buffer(INITIAL_BODY_BUFFER);
        Vertx vertx = Vertx.currentContext().owner();
        long timeoutMs = limits.requestTimeout().toMillis();
        long timer = vertx.setTimer(timeoutMs, t -> promise.tryFail(new ApiException(408,
                "request body not received within " + timeoutMs + " ms",
                Map.of("limit", "request_timeout", "max_ms", timeoutMs))));
        req.handler(chunk -> {
            if (body.length() + chunk.length() > limits.maxBodyBytes()) {
                req.handler(null);
                promise.tryFail(ItemParser.tooLarge(limits));
            } else if (!ticket.reserve(chunk.length())) {
                req.handler(null);
                promise.tryFail(Admission.overloaded("the server holds its limit of request body bytes",
                        "max_pending_bytes"));
            } else {
                body.appendBuffer(chunk);
            }
        });
        req.endHandler(v -> promise.tryComplete(body));
        req.exceptionHandler(promise::tryFail);
        return promise.future().onComplete(ar -> vertx.cancelTimer(timer));
    }

    public static Future<Void> json(HttpServerResponse resp, int status, String json) {
        if (resp.ended() || resp.closed()) {
            return Future.succeededFuture();
        }
        return resp.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(json);
    }

    /** Answers an {@link ApiException} with its status; the caller maps every other failure first. */
    public static void error(HttpServerRequest req, ApiException e) {
        HttpServerResponse resp = req.response();
        if (e.retryAfterSeconds() > 0 && !resp.headWritten()) {
            resp.putHeader(HttpHeaders.RETRY_AFTER, Integer.toString(e.retryAfterSeconds()));
        }
        if (!req.isEnded() && !drainable(req, e)) {
            // Too much (or too slow) a body to drain: close once answered. The client may see a reset
            // rather than the answer, which is the price of not reading 16 MiB it was told not to send.
            resp.putHeader(HttpHeaders.CONNECTION, "close");
            json(resp, e.status(), e.toJson()).onComplete(v -> req.connection().close());
            return;
        }
        json(resp, e.status(), e.toJson());
    }

    /**
     * Whether the unread rest of a refused request's body is discarded as it arrives, keeping the connection:
     * a request shed as overload (503) or refused before its body was read (401, 403, 400) answers at once
     * and the client reads that answer. Closing instead, with the body's bytes still arriving, resets the
     * connection, and most clients then report a network error in place of the 503 and its Retry-After.
     * Discarding costs no memory: with no body handler set, arriving bytes are dropped.
     */
    private static boolean drainable(HttpServerRequest req, ApiException e) {
        if (e.status() == 413 || e.status() == 408) {
            return false;
        }
        String declared = req.getHeader(HttpHeaders.CONTENT_LENGTH);
        try {
            return declared != null && Long.parseLong(declared.trim()) <= MAX_DRAIN_BYTES;
        } catch (NumberFormatException nfe) {
            return false;
        }
    }

    /** Answers a request Netty could not decode (an over-long header or request line) in JSON. */
    public static void invalidRequest(HttpServerRequest req, Limits limits) {
        Throwable cause = req.decoderResult().cause();
        ApiException e;
        if (cause instanceof TooLongHttpHeaderException) {
            e = new ApiException(431, "request headers are larger than the limit of " + limits.maxHeaderBytes() + " bytes",
                    Map.of("limit", "max_header_bytes", "max", limits.maxHeaderBytes()));
        } else if (cause instanceof TooLongHttpLineException) {
            e = new ApiException(414, "request line is longer than the limit of " + limits.maxHeaderBytes() + " bytes",
                    Map.of("limit", "max_header_bytes", "max", limits.maxHeaderBytes()));
        } else {
            e = new ApiException(400, "malformed HTTP request");
        }
        req.response().putHeader(HttpHeaders.CONNECTION, "close");
        json(req.response(), e.status(), e.toJson()).onComplete(v -> req.connection().close());
    }

    public static void notFound(HttpServerRequest req) {
        json(req.response(), 404, Json.error("no such endpoint: " + req.method() + " " + req.path(), java.util.Map.of()));
    }

    public static void methodNotAllowed(HttpServerRequest req, String allowed) {
        req.response().putHeader("Allow", allowed);
        json(req.response(), 405, Json.error(req.method() + " is not allowed on " + req.path() + "; use " + allowed,
                java.util.Map.of()));
    }
}
