package countapp.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20: a coordinator stopped for 10 s (SIGSTOP: a VM migration, a debugger, a starved host) costs its
 * clients latency, never an error. Keep-alive connections send their next request during the pause: the
 * idle timer must not close them on resume, and the load running meanwhile loses nothing.
 */
class CoordinatorPauseIT {
    @TempDir
    Path dir;

    @Test
    void issue20_coordinatorStoppedTenSeconds_noClientErrorsNothingLost() throws Exception {
        try (Cluster cluster = Cluster.start(dir, 2, "")) {
            SetWorkload load = new SetWorkload(cluster, "cpause", 4, 6, 20).start().awaitProgress(100);
            List<Socket> idle = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                Socket s = new Socket("127.0.0.1", cluster.port);
                s.setSoTimeout(60_000);
                assertThat(exchange(s, i)).startsWith("HTTP/1.1 200");
                idle.add(s);
            }
            long pid = cluster.coordinator().pid();
            Thread.sleep(2_000); // the clients are idle for a while before the pause, as between bursts

            FailoverIT.signal("STOP", pid);
            try {
                Thread.sleep(2_000);
                for (int i = 0; i < idle.size(); i++) { // the next request of each kept-alive connection
                    send(idle.get(i), 100 + i);
                }
                Thread.sleep(8_000);
            } finally {
                FailoverIT.signal("CONT", pid);
            }
            for (Socket s : idle) {
                assertThat(readAnswer(s)).as("a request sent during the pause").startsWith("HTTP/1.1 200");
                s.close();
            }
            load.awaitProgress(100);

            String figures = load.stopAndVerify(); // acked ≤ counted ≤ sent, and 0 client errors
            assertThat(figures).contains("errors=0", "lost=0", "extra=0");
        }
    }

    private static String exchange(Socket s, int n) throws IOException {
        send(s, n);
        return readAnswer(s);
    }

    private static void send(Socket s, int n) throws IOException {
        String body = "[{\"id\":\"pause-" + n + "\",\"tenant\":\"cpause-idle\"}]";
        OutputStream out = s.getOutputStream();
        out.write(("POST /items HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Reads one answer: headers, then a Content-Length body; a closed connection gives what came so far. */
    private static String readAnswer(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return head.length() == 0 ? "(connection closed)" : head.toString();
            }
            head.append((char) b);
        }
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        byte[] body = in.readNBytes(length);
        return head + new String(body, StandardCharsets.UTF_8);
    }
}
