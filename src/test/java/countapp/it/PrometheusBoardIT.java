package countapp.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import countapp.testing.Prerequisite;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus (Debian's package) scrapes a real cluster with auth on, using the scrape config the
 * operations guide gives (a Bearer ops key, job "countapp"), loads the shipped alert rules, and answers
 * every query of the shipped Grafana board with data while the cluster takes load.
 */
class PrometheusBoardIT {
    private static final String KEY = "prometheus-board-key-0123456789";
    private static final Path BOARD = Path.of("ops", "grafana-dashboard.json");
    private static final Path RULES = Path.of("ops", "alerts.yml");
    /** What Grafana puts for $__rate_interval with a 1 s scrape (at least four scrapes). */
    private static final String RATE_INTERVAL = "20s";
    private static final Pattern VALUE = Pattern.compile("\"value\":\\[[0-9.]+,\"([^\"]+)\"\\]");

    @Test
    void boardQueries_prometheusScrapingLoadedCluster_allReturnData(@TempDir Path dir) throws Exception {
        Prerequisite.require(Prerequisite.onPath("prometheus"), "prometheus (Debian package prometheus) is not installed");
        List<String> queries = boardQueries(BOARD);
        assertThat(queries).as("queries of %s", BOARD).hasSizeGreaterThan(10);
        String auth = "auth:\n  keys:\n    - key: " + KEY + "\n      tenants: [\"*\"]\n      ops: true\n";
        try (Cluster cluster = Cluster.start(dir, 2, auth, Cluster.Options.defaults().opsKey(KEY))) {
            int promPort = Cluster.freePorts(1).get(0);
            Process prometheus = startPrometheus(dir, cluster, promPort);
            AtomicBoolean stop = new AtomicBoolean();
            Thread load = new Thread(() -> load(cluster.port, stop), "board-load");
            load.start();
            try {
                awaitTargetsUp(promPort, cluster.workerPorts.size() + 1, prometheus, dir);
                Thread.sleep(Duration.ofSeconds(25).toMillis()); // a few rate intervals of samples under load
                assertThat(get(promPort, "/api/v1/rules").body()).as("the shipped rules are loaded")
                        .contains("CountAppWorkerDown", "CountAppPartitionsWriteBlocked", "\"health\":\"ok\"")
                        .doesNotContain("\"health\":\"err\"");
                List<String> empty = new ArrayList<>();
                for (String query : queries) {
                    String body = query(promPort, query.replace("$__rate_interval", RATE_INTERVAL));
                    if (!hasFiniteValue(body)) {
                        empty.add(query + "\n    -> " + body);
                    }
                }
                assertThat(empty).as("board queries without data (of %d)", queries.size()).isEmpty();
                System.out.printf("all %d board queries returned data%n", queries.size());
            } finally {
                stop.set(true);
                load.join(TimeUnit.SECONDS.toMillis(30));
                prometheus.destroy();
                if (!prometheus.waitFor(20, TimeUnit.SECONDS)) {
                    prometheus.destroyForcibly();
                }
            }
        }
    }

    /** Every "expr" of the board's panels, read from the JSON as Grafana would. */
    static List<String> boardQueries(Path board) throws IOException {
        List<String> exprs = new ArrayList<>();
        try (JsonParser p = new JsonFactory().createParser(board.toFile())) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t == JsonToken.FIELD_NAME && "expr".equals(p.currentName())) {
                    assertThat(p.nextToken()).isEqualTo(JsonToken.VALUE_STRING);
                    exprs.add(p.getText());
                }
            }
        }
        return exprs;
    }

    private static Process startPrometheus(Path dir, Cluster cluster, int port) throws IOException {
        String targets = IntStream.concat(IntStream.of(cluster.port), cluster.workerPorts.stream().mapToInt(Integer::intValue))
                .mapToObj(p -> "localhost:" + p).collect(Collectors.joining(", "));
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
                + "rule_files:\n  - " + RULES.toAbsolutePath() + "\n"
                + "scrape_configs:\n  - job_name: countapp\n    static_configs:\n      - targets: [" + targets + "]\n"
                + "    authorization: {credentials: " + KEY + "}\n");
        return new ProcessBuilder("prometheus", "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("prom-data"),
                "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("prometheus.log").toFile())
                .start();
    }

    private static void awaitTargetsUp(int port, int targets, Process prometheus, Path dir) {
        Awaitility.await("every CountApp target up in Prometheus").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> {
                    assertThat(prometheus.isAlive()).as("prometheus alive; log:\n%s",
                            Files.readString(dir.resolve("prometheus.log"))).isTrue();
                    String up = query(port, "sum(up{job=\"countapp\"})");
                    Matcher m = VALUE.matcher(up);
                    return m.find() && Double.parseDouble(m.group(1)) == targets;
                });
    }

    /** Adds, counts and a refused batch (400) in a loop, bounded in time, until told to stop. */
    private static void load(int port, AtomicBoolean stop) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        int round = 0;
        while (!stop.get() && System.nanoTime() < deadline) {
            try {
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    ids.add("u-" + round + "-" + i);
                }
                send(port, "POST", "/items", Cluster.items("tenant-" + (round % 5), ids));
                send(port, "GET", "/items/tenant-" + (round % 5) + "/count", null);
                send(port, "POST", "/items", "[{\"tenant\":\"t\"}]"); // no id: 400
                round++;
                Thread.sleep(20);
            } catch (IOException e) {
                // a request cut by the test's end; the next round tries again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void send(int port, String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + KEY);
        if (body == null) {
            b.GET();
        } else {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        Cluster.send(b.build());
    }

    private static String query(int port, String promql) throws IOException, InterruptedException {
        HttpResponse<String> r = get(port, "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        assertThat(r.statusCode()).as("%s: %s", promql, r.body()).isEqualTo(200);
        return r.body();
    }

    private static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return Cluster.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).GET().build());
    }

    /** Whether a query answer holds at least one sample whose value is a number (not NaN, not infinite). */
    static boolean hasFiniteValue(String body) {
        Matcher m = VALUE.matcher(body);
        while (m.find()) {
            String v = m.group(1); // Prometheus writes "NaN", "+Inf", "-Inf" or a number
            if (!v.endsWith("Inf") && Double.isFinite(Double.parseDouble(v))) {
                return true;
            }
        }
        return false;
    }
}
