package countapp.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Streamed answers at the socket level: a chunked body the server cuts off, and a stream the caller closes
 * part-way. (The server's streams end with a terminating chunk only when complete.)
 */
class StreamTest {
    private static final String HEAD = "HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\nTransfer-Encoding: chunked\r\n\r\n";

    private static String chunk(String text) {
        return Integer.toHexString(text.getBytes(StandardCharsets.UTF_8).length) + "\r\n" + text + "\r\n";
    }

    /** Serves one connection: reads the request head, writes {@code answer}, then runs {@code after}. */
    private static CompletableFuture<Void> serveOnce(ServerSocket server, String answer, SocketTask after) {
        return CompletableFuture.runAsync(() -> {
            try (Socket s = server.accept()) {
                InputStream in = s.getInputStream();
                ByteTail tail = new ByteTail();
                while (!tail.endsWith("\r\n\r\n")) {
                    int b = in.read();
                    if (b < 0) {
                        return;
                    }
                    tail.add(b);
                }
                OutputStream out = s.getOutputStream();
                out.write(answer.getBytes(StandardCharsets.UTF_8));
                out.flush();
                after.run(s);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @FunctionalInterface
    private interface SocketTask {
        void run(Socket s) throws IOException;
    }

    /** The last four bytes read. */
    private static final class ByteTail {
        private final StringBuilder last = new StringBuilder();

        void add(int b) {
            last.append((char) b);
            if (last.length() > 4) {
                last.deleteCharAt(0);
            }
        }

        boolean endsWith(String s) {
            return last.toString().equals(s);
        }
    }

    @Test
    void export_bodyCutOffWithoutTerminatingChunk_failsAfterTheLinesReceived() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> served = serveOnce(server, HEAD + chunk("{\"tenant\":\"a\",\"count\":1}\n"
                    + "{\"tenant\":\"b\",\"count\":2}\n"), s -> { }); // closed without the last chunk
            CountAppClient client = CountAppClient.builder().baseUrl("http://127.0.0.1:" + server.getLocalPort())
                    .retry(RetryPolicy.none()).build();
            List<TenantCount> seen = new ArrayList<>();

            try (Stream<TenantCount> export = client.export()) {
                assertThatThrownBy(() -> export.forEach(seen::add)).isInstanceOfSatisfying(CountAppException.class,
                        e -> {
                            assertThat(e.status()).isZero();
                            assertThat(e.getMessage()).contains("GET /counts", "broke off after 2 lines");
                        });
            }
            assertThat(seen).containsExactly(new TenantCount("a", 1), new TenantCount("b", 2));
            served.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void ids_streamClosedPartWay_connectionClosed() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> served = serveOnce(server, HEAD + chunk("{\"id\":\"1\",\"tenant\":\"t\"}\n"),
                    s -> {
                        s.setSoTimeout(10_000);
                        try {
                            // More would follow; the closed connection shows as end of input or a reset.
                            assertThat(s.getInputStream().read()).isEqualTo(-1);
                        } catch (SocketException reset) {
                            // closed by the client: also fine
                        }
                    });
            CountAppClient client = CountAppClient.builder().baseUrl("http://127.0.0.1:" + server.getLocalPort())
                    .retry(RetryPolicy.none()).build();

            try (Stream<Item> ids = client.ids("t")) {
                Iterator<Item> it = ids.iterator();
                assertThat(it.next()).isEqualTo(Item.of("t", "1"));
            }
            served.get(10, TimeUnit.SECONDS); // fails on a socket time-out if the connection stayed open
        }
    }
}
