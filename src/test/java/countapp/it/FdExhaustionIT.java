package countapp.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19, faults 2 and 8: a worker whose file descriptors run out (its limit squeezed with prlimit) while
 * a log segment must roll refuses adds with 503, stays up (its parent check does not mistake the failed
 * open of {@code /proc/<ppid>/stat} for a dead coordinator), and takes adds again without a restart once
 * the limit is restored; nothing acknowledged is lost, also after a SIGKILL.
 */
@Timeout(300)
class FdExhaustionIT {
    @TempDir
    Path dir;

    private static boolean prlimitPresent() {
        try {
            return new ProcessBuilder("prlimit", "--version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void prlimit(long pid, String nofile) throws Exception {
        Process p = new ProcessBuilder("prlimit", "--pid", Long.toString(pid), "--nofile=" + nofile)
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)).isZero();
    }

    /** The soft open-files limit of a process, from /proc/<pid>/limits. */
    private static String softNofile(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/limits"))) {
            if (line.startsWith("Max open files")) {
                return line.substring("Max open files".length()).trim().split("\\s+")[0];
            }
        }
        throw new IOException("no open-files limit for " + pid);
    }

    /** The lowest file descriptor number the process does not use: a limit there makes every open fail. */
    private static int lowestFreeFd(long pid) throws IOException {
        Set<Integer> used = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            fds.forEach(f -> used.add(Integer.parseInt(f.getFileName().toString())));
        }
        int fd = 0;
        while (used.contains(fd)) {
            fd++;
        }
        return fd;
    }

    /** The largest log segment under the database: the one the tenant's writes fill. */
    private long largestSegment() throws IOException {
        try (Stream<Path> files = Files.walk(dir.resolve("db"))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".log") && f.getParent().endsWith("log"))
                    .mapToLong(f -> f.toFile().length()).max().orElse(0);
        }
    }

    @Test
    void issue19_workerOutOfFileDescriptorsAtARoll_503ThenAcceptsAgainWithoutRestart_nothingLost() throws Exception {
        assumeTrue(prlimitPresent(), "prlimit (util-linux) is not installed");
        try (Cluster cluster = Cluster.start(dir, 1, "")) {
            int workerPort = cluster.workerPorts.get(0);
            long pid = cluster.workerPid(workerPort);
            String tenant = "fd-tenant";
            String padding = "p".repeat(300);
            long acked = 0;
            int next = 0;
            // Fill the tenant's segment to just short of its 64 MiB roll.
            while (largestSegment() < (64L << 20) - (1L << 20)) {
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < 500; i++) {
                    ids.add(next++ + "-" + padding);
                }
                HttpResponse<String> r = cluster.post(Cluster.items(tenant, ids));
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                acked += Cluster.longField(r.body(), "added");
            }

            // Only the soft limit moves (raising a hard limit back needs a privilege tests may not have). At
            // 10, below every file the JVM opened after its start, no file can be opened, not even into the
            // slot a closed segment frees. The roll may still succeed once, with a segment created ahead.
            String limit = softNofile(pid);
            int squeezed = Math.min(10, lowestFreeFd(pid));
            prlimit(pid, squeezed + ":");
            HttpResponse<String> refused = null;
            try {
                for (int round = 0; round < 2000 && refused == null; round++) {
                    List<String> ids = new ArrayList<>();
                    for (int i = 0; i < 500; i++) {
                        ids.add(next++ + "-" + padding);
                    }
                    HttpResponse<String> r = cluster.post(Cluster.items(tenant, ids));
                    if (r.statusCode() == 200) {
                        acked += Cluster.longField(r.body(), "added");
                    } else {
                        refused = r;
                    }
                }
                assertThat(refused).as("a roll with no file descriptor left is refused").isNotNull();
                assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
                assertThat(refused.body()).contains("Too many open files");
                Thread.sleep(2500); // more than two parent checks with the limit squeezed
                assertThat(Cluster.process(pid)).as("the worker stays up").isPresent();
            } finally {
                prlimit(pid, limit + ":");
            }

            long restored = System.nanoTime();
            List<String> after = List.of("after-1", "after-2", "after-3");
            Awaitility.await("adds accepted again").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                    .until(() -> cluster.post(Cluster.items(tenant, after)).statusCode() == 200);
            Duration recovered = Duration.ofNanos(System.nanoTime() - restored);
            acked += 3;
            assertThat(cluster.workerPid(workerPort)).as("no restart").isEqualTo(pid);
            assertThat(cluster.count(tenant)).isEqualTo(acked);
            System.out.println("FdExhaustionIT: adds accepted again " + recovered.toMillis() + " ms after the limit was restored");

            ProcessHandle.of(pid).orElseThrow().destroyForcibly();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Cluster.process(pid).isEmpty());
            cluster.awaitSettled(1);
            assertThat(cluster.count(tenant)).as("every acknowledged item after a SIGKILL").isEqualTo(acked);
            assertThat(cluster.log()).doesNotContain("coordinator gone");
        }
    }
}
