package countapp.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A stand-in coordinator on a loopback socket that answers each request with raw bytes, so a test can send
 * what a real server would only send when failing: a chunked body cut off before its last chunk. One
 * request per connection; the request lines received are kept for the test to check.
 */
final class FakeCoordinator implements AutoCloseable {
    private final ServerSocket socket;
    private final Function<String, String> answers;
    private final Thread acceptor;
    final List<String> requests = new CopyOnWriteArrayList<>();

    /** {@code answers} maps a request line ({@code GET /counts HTTP/1.1}) to the raw response. */
    FakeCoordinator(Function<String, String> answers) throws IOException {
        this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.answers = answers;
        this.acceptor = new Thread(this::serve, "fake-coordinator");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String url() {
        return "http://localhost:" + socket.getLocalPort();
    }

    private void serve() {
        while (!socket.isClosed()) {
            try (Socket s = socket.accept()) {
                String requestLine = readHead(s.getInputStream());
                requests.add(requestLine);
                OutputStream out = s.getOutputStream();
                out.write(answers.apply(requestLine).getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (IOException e) {
                // Closed by the test, or the client went away: either way, the next connection.
            }
        }
    }

    /** The request line; the headers are read and dropped (the CLI's requests carry no body). */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String text = head.toString(StandardCharsets.UTF_8);
        int eol = text.indexOf("\r\n");
        return eol < 0 ? text : text.substring(0, eol);
    }

    /** A whole response with a JSON body. */
    static String json(int status, String body) {
        return "HTTP/1.1 " + status + " X\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    /** A chunked NDJSON response of {@code lines}, complete with its last chunk or cut off before it. */
    static String ndjson(List<String> lines, boolean complete) {
        StringBuilder sb = new StringBuilder("HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
        for (String line : lines) {
            String chunk = line + "\n";
            sb.append(Integer.toHexString(chunk.getBytes(StandardCharsets.UTF_8).length)).append("\r\n").append(chunk)
                    .append("\r\n");
        }
        return complete ? sb.append("0\r\n\r\n").toString() : sb.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
