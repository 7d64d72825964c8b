package countapp.it;

import static org.assertj.core.api.Assertions.assertThat;

import countapp.bench.BenchCommand;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code countapp bench} against a real cluster: short runs of each mode pass their exactness check. */
class BenchIT {
    @TempDir
    static Path dir;
    static Cluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = Cluster.start(dir, 2, "");
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static int bench(String... args) {
        return new CommandLine(new BenchCommand()).execute(args);
    }

    private static String url() {
        return "http://127.0.0.1:" + cluster.port;
    }

    @Test
    void closedLoopBatchesWithDuplicatesVerifyExactly() throws Exception {
        Path json = dir.resolve("post.json");
        int code = bench("--url", url(), "--duration", "1", "--warmup", "0.5", "--connections", "8", "--batch", "50",
                "--tenants", "20", "--duplicates", "0.3", "--quiet", "--json", json.toString());
        assertThat(code).isZero();
        String summary = Files.readString(json);
        assertThat(summary).contains("\"ok\":true", "\"errors\":0");
        assertThat(Cluster.longField(summary, "requests")).isPositive();
        assertThat(Cluster.longField(summary, "counted")).isEqualTo(Cluster.longField(summary, "sent"));
    }

    @Test
    void openLoopSingleItemsAndCountModeVerifyExactly() throws Exception {
        Path json = dir.resolve("open.json");
        assertThat(bench("--url", url(), "--duration", "1", "--warmup", "0", "--batch", "1", "--rate", "200",
                "--quiet", "--json", json.toString())).isZero();
        String summary = Files.readString(json);
        assertThat(summary).contains("\"loop\":\"open\"", "\"ok\":true");
        assertThat(Cluster.longField(summary, "requests")).isBetween(150L, 250L);
        assertThat(bench("--url", url(), "--duration", "1", "--warmup", "0", "--mode", "count", "--tenants", "5",
                "--seed-items", "3", "--quiet")).isZero();
    }

    @Test
    void failedRequestsFailTheRun() throws Exception {
        int unused;
        try (ServerSocket s = new ServerSocket(0)) {
            unused = s.getLocalPort();
        }
        assertThat(bench("--url", "http://127.0.0.1:" + unused, "--duration", "1", "--warmup", "0", "--connections", "2",
                "--timeout", "2", "--quiet")).isEqualTo(1);
        assertThat(bench("--url", url(), "--mode", "nonsense")).isEqualTo(2);
    }
}
