package countapp.it;

import static countapp.it.Cluster.items;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 22: routine events stay out of the error log: a client leaving a stream early, a file left broken. */
class QuietLogIT {
    static final String REFUSED = "config reload failed";

    @TempDir
    static Path dir;
    static Cluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = Cluster.start(dir, 1, "windows:\n  day: 3\n", Cluster.Options.defaults().configCheck("0.2"));
        for (int batch = 0; batch < 4; batch++) {
            int from = batch * 5_000;
            List<String> ids = IntStream.range(from, from + 5_000).mapToObj(i -> "id-" + i).collect(Collectors.toList());
            assertThat(cluster.post(items("quiet", ids)).statusCode()).isEqualTo(200);
            assertThat(cluster.post(items("quiet-" + batch, ids)).statusCode()).isEqualTo(200);
        }
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void issue22_clientClosingStreamsEarly_noErrorLogged() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertThat(readSomeThenClose("/items/quiet/ids")).startsWith("HTTP/1.1 200");
            assertThat(readSomeThenClose("/counts")).startsWith("HTTP/1.1 200");
        }
        Thread.sleep(1000); // the resets reach the coordinator's worker connections after the close

        assertThat(cluster.count("quiet")).as("the cluster carries on").isEqualTo(20_000);
        assertThat(cluster.log()).doesNotContain("StreamResetException").doesNotContain(" ERROR ");
    }

    @Test
    void issue22_badConfig_loggedOncePerChangeOfTheFile() throws Exception {
        Path file = dir.resolve("config.yaml");
        String good = Files.readString(file);
        Path workerLog = dir.resolve("logs").resolve(cluster.workerPorts.get(0) + ".log");
        try {
            Files.writeString(file, good + "colour: blue\n");
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> occurrences(cluster.log()) == 1
                    && occurrences(Files.readString(workerLog)) == 1);
            Thread.sleep(2000); // ten more checks of the same broken file
            assertThat(occurrences(cluster.log())).isEqualTo(1);
            assertThat(occurrences(Files.readString(workerLog))).isEqualTo(1);

            Files.writeString(file, good + "colour: blue\nshade: dark\n");
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> occurrences(cluster.log()) == 2);
            Thread.sleep(1000);
            assertThat(occurrences(cluster.log())).as("once for the edit").isEqualTo(2);
        } finally {
            Files.writeString(file, good);
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> cluster.get("/status").body()
                .contains("\"last_error\":null"));
    }

    private static int occurrences(String log) {
        return log.split(REFUSED, -1).length - 1;
    }

    /** A GET whose answer is read for its first bytes only (one read), then the connection closed. */
    private static String readSomeThenClose(String path) throws IOException {
        try (Socket s = new Socket("127.0.0.1", cluster.port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            byte[] buf = new byte[512];
            int n = in.read(buf); // the start of the answer: the rest is left unread
            return new String(buf, 0, Math.max(n, 0), StandardCharsets.UTF_8);
        }
    }
}
