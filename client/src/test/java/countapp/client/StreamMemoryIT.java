package countapp.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Streamed answers in bounded memory: an export and an id listing of about 50 MB each are read whole by a JVM
 * whose heap is 24 MB, so the client cannot be holding the answer (a client reading the body whole fails with
 * OutOfMemoryError).
 */
class StreamMemoryIT {
    private static final int LINES = 100_000;
    private static final int BATCH = 10_000;
    private static final String PAD = "x".repeat(470);

    @TempDir
    Path dir;

    @Test
    void exportAndIds_answersTwiceTheHeap_everyLineReadInA24MbHeap() throws Exception {
        try (LiveCluster cluster = LiveCluster.start(dir, 2, "")) {
            CountAppClient client = cluster.client().build();
            long tenantChars = 0;
            long idChars = 0;
            for (int start = 0; start < LINES; start += BATCH) {
                List<Item> tenants = new ArrayList<>();
                List<Item> ids = new ArrayList<>();
                for (int i = start; i < start + BATCH; i++) {
                    String name = String.format("%06d-%s", i, PAD);
                    tenants.add(Item.of("t-" + name, "1"));
                    ids.add(Item.of("big", "id-" + name));
                    tenantChars += name.length() + 2;
                    idChars += name.length() + 3;
                }
                assertThat(client.add(tenants).added()).isEqualTo(BATCH);
                assertThat(client.add(ids).added()).isEqualTo(BATCH);
            }

            // the export holds "big" too: one line more than the padded tenants
            assertThat(probe(cluster, "export")).isEqualTo("lines=" + (LINES + 1) + " chars=" + (tenantChars + 3));
            assertThat(probe(cluster, "ids", "big")).isEqualTo("lines=" + LINES + " chars=" + idChars);
        }
    }

    /** Runs {@link StreamProbe} in a JVM with a 24 MB heap; its one line of output. */
    private String probe(LiveCluster cluster, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx24m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), StreamProbe.class.getName(),
                args[0], cluster.url()));
        command.addAll(List.of(args).subList(1, args.length));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("probe output: %s", out).isZero();
        return out;
    }
}
