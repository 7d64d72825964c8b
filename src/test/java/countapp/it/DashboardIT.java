package countapp.it;

import static countapp.it.Cluster.items;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /dashboard} rendered by headless Chromium against a real cluster: two spawned workers and one
 * remote worker that never answers, which must show as down. Skipped, loudly, where Chromium is missing.
 */
class DashboardIT {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path OUT = Path.of("target");

    @TempDir
    static Path dir;
    static Cluster cluster;
    static String deadRemote;

    @BeforeAll
    static void start() throws Exception {
        if (!Files.isExecutable(CHROMIUM)) {
            System.err.println("\n" + "!".repeat(78) + "\n!! DashboardIT SKIPPED: " + CHROMIUM + " is missing."
                    + " Install it with: apt-get install -y chromium\n" + "!".repeat(78) + "\n");
        }
        countapp.testing.Prerequisite.require(Files.isExecutable(CHROMIUM), CHROMIUM + " is missing: the dashboard test needs Chromium");
        // 127.0.0.2 is loopback but not "localhost": a remote worker, never spawned, here never answering.
        deadRemote = "http://127.0.0.2:" + Cluster.freePorts(1).get(0);
        cluster = Cluster.start(dir, 2, "", List.of(deadRemote));
        cluster.post(items("dash-tenant", List.of("a", "b", "c", "d", "e")));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void dashboard_servedAsOneSelfContainedPage() throws Exception {
        HttpResponse<String> r = cluster.get("/dashboard");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
        assertThat(r.body()).contains("<script>", "<style>").doesNotContain("src=\"http", "href=\"http");
    }

    @Test
    void dashboard_renderedInChromium_showsEveryWorkerDeadOnesDownAndTheTenantCount() throws Exception {
        cluster.awaitReady();
        String dom = chromium("--dump-dom", "dashboard#tenant=dash-tenant");
        Files.writeString(OUT.resolve("dashboard-dom.html"), dom);

        for (int port : cluster.workerPorts) {
            assertThat(dom).contains("data-worker=\"http://localhost:" + port + "\" data-state=\"live\"");
        }
        assertThat(dom).contains("data-worker=\"" + deadRemote + "\" data-state=\"down\"");
        assertThat(dom).contains("<span class=\"big\" id=\"tenant-count\">5</span>");
        assertThat(dom).contains("data-partition=\"15\"").contains("2 / 3 live");
    }

    @Test
    void dashboard_screenshotUnderLoad_isAPicture() throws Exception {
        Path png = OUT.resolve("dashboard.png");
        Files.deleteIfExists(png);
        AtomicBoolean running = new AtomicBoolean(true);
        Thread load = new Thread(() -> {
            // Traffic while the page polls, so the rate and latency sparklines have something to draw.
            for (int round = 0; running.get() && round < 2_000; round++) {
                int r = round;
                try {
                    cluster.post(items("load-" + (r % 5), IntStream.range(0, 200).mapToObj(i -> r + "-" + i)
                            .collect(Collectors.toList())));
                    Thread.sleep(20);
                } catch (IOException | InterruptedException e) {
                    return;
                }
            }
        }, "dashboard-load");
        load.start();
        try {
            chromium("--screenshot=" + png.toAbsolutePath(), "dashboard");
        } finally {
            running.set(false);
            load.join(10_000);
        }

        assertThat(png).exists();
        byte[] bytes = Files.readAllBytes(png);
        assertThat(bytes.length).as("a 1280x900 page with content, not a blank image").isGreaterThan(20_000);
        assertThat(new String(bytes, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
        System.out.println("[dashboard] screenshot: " + png.toAbsolutePath());
    }

    /** Runs headless Chromium on the page; returns its standard output (the DOM with --dump-dom). */
    private static String chromium(String mode, String page) throws Exception {
        Path profile = Files.createTempDirectory(dir, "chromium-profile");
        List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-quic", "--no-first-run", "--disable-component-update",
                "--disable-sync", "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=1280,900",
                "--virtual-time-budget=5000", mode, "http://localhost:" + cluster.port + "/" + page));
        Path stdout = Files.createTempFile(dir, "chromium", ".out");
        Path stderr = Files.createTempFile(dir, "chromium", ".err");
        Process p = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish in 90 s; stderr:\n" + Files.readString(stderr));
        }
        assertThat(p.exitValue()).as("chromium exit code; stderr:\n%s", Files.readString(stderr)).isZero();
        return Files.readString(stdout);
    }
}
