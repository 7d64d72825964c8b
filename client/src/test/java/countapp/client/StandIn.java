package countapp.client;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/**
 * A stand-in HTTP server for component tests of the client: answers each request with the next scripted answer
 * (the last one repeats) and records what it was sent.
 */
final class StandIn implements AutoCloseable {
    /** A scripted answer; {@code retryAfter} null for none; {@code delayMs} before answering. */
    record Answer(int status, String body, @Nullable String retryAfter, long delayMs) {
        static Answer of(int status, String body) {
            return new Answer(status, body, null, 0);
        }
    }

    /** A request as received: the raw path and query, its Authorization header and its body. */
    record Received(String method, String rawPathAndQuery, @Nullable String authorization, String body) {}

    private final HttpServer server;
    private final Deque<Answer> script = new ArrayDeque<>();
    final List<Received> received = new CopyOnWriteArrayList<>();

    StandIn(Answer... answers) throws IOException {
        this(0, answers);
    }

    StandIn(int port, Answer... answers) throws IOException {
        script.addAll(List.of(answers));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath()
                    + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery()),
                    exchange.getRequestHeaders().getFirst("Authorization"), body));
            Answer a = next();
            if (a.delayMs() > 0) {
                try {
                    Thread.sleep(a.delayMs());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] bytes = a.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            if (a.retryAfter() != null) {
                exchange.getResponseHeaders().set("Retry-After", a.retryAfter());
            }
            exchange.sendResponseHeaders(a.status(), bytes.length == 0 ? -1 : bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    private synchronized Answer next() {
        return script.size() > 1 ? script.poll() : script.peek();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
