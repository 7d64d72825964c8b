package countapp.coordinator;

import countapp.api.PartitionList;
import countapp.config.ClusterSecret;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's HTTP calls to workers: health checks, assignments, stops, and id streams, over pooled
 * keep-alive HTTP/1.1 connections (adds and counts take the {@link WorkerChannel}). Every call fails (never
 * hangs) on a dead or stalled worker: connect and request timeouts are bounded.
 */
final class WorkerClient implements WorkerApi {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerClient.class);
    private static final long CONNECT_TIMEOUT_MS = 1000;
    private static final long REQUEST_TIMEOUT_MS = 5_000;
    private static final long CONTROL_TIMEOUT_MS = 60_000;

    private final HttpClient http;
    private final ClusterSecret secret;

    WorkerClient(Vertx vertx, ClusterSecret secret) {
        this.secret = secret;
        this.http = vertx.createHttpClient(
                new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true).setConnectTimeout((int) CONNECT_TIMEOUT_MS)
                        // Below the workers' smallest idle deadline, so a pooled connection is never reused
                        // just as the worker closes it.
                        .setKeepAliveTimeout(1),
                new PoolOptions().setHttp1MaxSize(64).setMaxWaitQueueSize(10_000));
    }

    @Override
    public Future<Reply> health(WorkerHandle w, long timeoutMs) {
        return call(w, HttpMethod.GET, "/", null, timeoutMs);
    }

    @Override
    public void kill(WorkerHandle w) {
        call(w, HttpMethod.POST, "/kill", null, CONTROL_TIMEOUT_MS);
    }

    @Override
    public Future<Reply> assign(WorkerHandle w, Set<Integer> partitions) {
        return call(w, HttpMethod.PUT, "/partitions", Buffer.buffer(PartitionList.toJson(partitions)),
                CONTROL_TIMEOUT_MS);
    }

    private Future<Reply> call(WorkerHandle w, HttpMethod method, String uri, Buffer body, long timeoutMs) {
        RequestOptions options = new RequestOptions()
                .setMethod(method)
                .setHost(w.endpoint.host())
                .setPort(w.endpoint.port())
                .setURI(uri)
                .setConnectTimeout(CONNECT_TIMEOUT_MS)
                .setTimeout(timeoutMs)
                .putHeader(ClusterSecret.HEADER, secret.value());
        if (body != null) {
            options.putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        }
        return http.request(options)
                .compose(req -> body == null ? req.send() : req.send(body))
                .compose(resp -> resp.body().map(b -> new Reply(resp.statusCode(), b.getBytes())));
    }

    /**
     * Opens a worker's id stream. Completes with the response once its status line is in, paused, so no
     * body is lost before the caller pipes it on (or reads an error body after resuming it).
     */
    Future<HttpClientResponse> ids(WorkerHandle w, String tenant) {
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setHost(w.endpoint.host())
                .setPort(w.endpoint.port())
                .setURI("/items/" + PathEncoding.encodeSegment(tenant) + "/ids")
                .setConnectTimeout(CONNECT_TIMEOUT_MS)
                .setIdleTimeout(REQUEST_TIMEOUT_MS) // idle, not total: a large dump may take long
                .putHeader(ClusterSecret.HEADER, secret.value());
        return http.request(options).compose(HttpClientRequest::send).map(resp -> {
            resp.pause();
            return resp;
        });
    }

    /** Opens the stream of one partition's counts in {@code window} on its owner, paused as {@link #ids} is. */
    Future<HttpClientResponse> counts(WorkerHandle w, int partition, countapp.model.Window window) {
        String query = countapp.api.WindowQuery.query(window);
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setHost(w.endpoint.host())
                .setPort(w.endpoint.port())
                .setURI("/counts?partition=" + partition + (query.isEmpty() ? "" : "&" + query))
                .setConnectTimeout(CONNECT_TIMEOUT_MS)
                .setIdleTimeout(REQUEST_TIMEOUT_MS)
                .putHeader(ClusterSecret.HEADER, secret.value());
        return http.request(options).compose(HttpClientRequest::send).map(resp -> {
            resp.pause();
            return resp;
        });
    }

    Future<Void> close() {
        return http.close();
    }

    /**
     * Stops a worker's stream that nobody reads any more (the client left, or the relay broke). The reset
     * surfaces on the response as a {@code StreamResetException}, which Vert.x logs at ERROR when no handler
     * takes it; a client closing early is routine, so it goes to DEBUG.
     */
    static void cancel(HttpClientResponse response) {
        response.exceptionHandler(e -> LOG.debug("worker stream {} cancelled: {}", response.request().path(), e.toString()));
        response.request().reset();
    }
}
