package countapp.http;

import static org.assertj.core.api.Assertions.assertThat;

import countapp.model.Limits;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The idle timer against a real HTTP server and real sockets, with the guard's clock in the test's hand:
 * the sweeps are called by the test, so each step is exact.
 */
class ConnectionGuardTest {
    private static final long MS = 1_000_000L;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final AtomicLong now = new AtomicLong(1_000_000 * MS);
    private Vertx vertx;
    private ConnectionGuard guard;
    private int port;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        Limits limits = new Limits(1 << 20, 1000, 512, 8192, TIMEOUT, 100, 1 << 20, 100);
        guard = new ConnectionGuard(() -> limits, now::get);
        HttpServer server = vertx.createHttpServer()
                .connectionHandler(guard::onConnection)
                .requestHandler(req -> {
                    guard.onRequest(req);
                    req.response().end("ok");
                });
        port = server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)
                .actualPort();
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void sweep_clientIdlePastTimeout_closesConnection() throws Exception {
        try (Socket s = connectedAfterOneRequest()) {
            runFor(TIMEOUT.plusMillis(200));
            assertClosed(s);
        }
    }

    @Test
    void sweep_clientIdleWithinTimeout_keepsConnection() throws Exception {
        try (Socket s = connectedAfterOneRequest()) {
            runFor(TIMEOUT.minusMillis(500));
            assertThat(exchange(s)).contains("ok");
        }
    }

    /** Issue 20: a coordinator stopped for 10 s closed connections whose next request came during the pause. */
    @Test
    void issue20_sweep_afterProcessPause_keepsConnectionWhoseRequestArrivedMeanwhile() throws Exception {
        try (Socket s = connectedAfterOneRequest()) {
            runFor(Duration.ofSeconds(2));
            now.addAndGet(30_000 * MS); // no sweep ran for 30 s: the process was stopped
            guard.sweep();
            assertThat(exchange(s)).contains("ok");
        }
    }

    @Test
    void sweep_afterProcessPause_stillClosesClientIdleWhileRunning() throws Exception {
        try (Socket s = connectedAfterOneRequest()) {
            now.addAndGet(30_000 * MS);
            guard.sweep();
            runFor(TIMEOUT.plusMillis(200));
            assertClosed(s);
        }
    }

    /** Advances the clock in sweep-sized steps, sweeping after each, as the running process does. */
    private void runFor(Duration d) {
        for (long t = 0; t < d.toMillis(); t += 100) {
            now.addAndGet(100 * MS);
            guard.sweep();
        }
    }

    private Socket connectedAfterOneRequest() throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(5000);
        assertThat(exchange(s)).contains("ok");
        return s;
    }

    private static String exchange(Socket s) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write("GET / HTTP/1.1\r\nHost: test\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = s.getInputStream();
        byte[] buf = new byte[4096];
        StringBuilder answer = new StringBuilder();
        while (!answer.toString().endsWith("ok")) {
            int n = in.read(buf);
            if (n < 0) {
                break;
            }
            answer.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
        }
        return answer.toString();
    }

    private static void assertClosed(Socket s) {
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> {
            try {
                return s.getInputStream().read() < 0;
            } catch (SocketTimeoutException stillOpen) {
                return false;
            } catch (IOException reset) {
                return true;
            }
        });
    }
}
