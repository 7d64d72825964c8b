package countapp.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;

/**
 * A real CountApp deployment for integration tests: the coordinator runs from the fat jar as its own JVM
 * and spawns real worker JVMs, all on free loopback ports, with data under a temporary folder.
 */
final class Cluster implements AutoCloseable {
    static final String JAR = System.getProperty("countapp.jar", "target/countapp.jar");
    static final String SECRET = "integration-test-cluster-secret";
    static {
        // Servers drop idle connections after request_timeout; never reuse one that might be closing.
        System.setProperty("jdk.httpclient.keepalive.timeout", "1");
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    final Path dir;
    final int port;
    final List<Integer> workerPorts;
    /** Configured workers on other hosts: never spawned, only health-checked and routed to. */
    final List<String> remoteWorkers;
    /** The config's database line value: a folder, or a redis:// URL. */
    private final String database;
    private final Options options;
    private Process coordinator;

    /**
     * How to set a cluster up beyond its number of workers.
     *
     * @param database the config's database: a folder, or a redis:// URL
     * @param remoteWorkers worker URLs added to the config's list, never spawned
     * @param opsKey with auth on, a key with ops: true that the helper sends to the coordinator's ops endpoints
     * @param configCheck the config's config_check, in seconds
     * @param workerJavaOpts COUNTAPP_WORKER_JAVA_OPTS for the coordinator, or null
     */
    record Options(String database, List<String> remoteWorkers, String opsKey, String configCheck,
            String workerJavaOpts) {
        static Options defaults() {
            return new Options("db/", List.of(), null, "5", null);
        }

        Options database(String value) {
            return new Options(value, remoteWorkers, opsKey, configCheck, workerJavaOpts);
        }

        Options remoteWorkers(List<String> value) {
            return new Options(database, List.copyOf(value), opsKey, configCheck, workerJavaOpts);
        }

        Options opsKey(String value) {
            return new Options(database, remoteWorkers, value, configCheck, workerJavaOpts);
        }

        Options configCheck(String seconds) {
            return new Options(database, remoteWorkers, opsKey, seconds, workerJavaOpts);
        }

        Options workerJavaOpts(String value) {
            return new Options(database, remoteWorkers, opsKey, configCheck, value);
        }
    }

    private Cluster(Path dir, int port, List<Integer> workerPorts, Options options) {
        this.dir = dir;
        this.port = port;
        this.workerPorts = workerPorts;
        this.database = options.database();
        this.remoteWorkers = options.remoteWorkers();
        this.options = options;
    }

    /** Writes a config for {@code workers} local workers under {@code dir} and starts the coordinator. */
    static Cluster start(Path dir, int workers, String extraConfig) throws Exception {
        return start(dir, workers, extraConfig, "db/");
    }

    /** As {@link #start(Path, int, String)}, with {@code database} (a folder or a redis:// URL) in the config. */
    static Cluster start(Path dir, int workers, String extraConfig, String database) throws Exception {
        return start(dir, workers, extraConfig, Options.defaults().database(database));
    }

    /** As {@link #start(Path, int, String)}, with remote worker URLs added to the config's list. */
    static Cluster start(Path dir, int workers, String extraConfig, List<String> remoteWorkers) throws Exception {
        return start(dir, workers, extraConfig, Options.defaults().remoteWorkers(remoteWorkers));
    }

    /** As {@link #start(Path, int, String)}, set up as {@code options} say. */
    static Cluster start(Path dir, int workers, String extraConfig, Options options) throws Exception {
        List<Integer> ports = freePorts(workers + 1);
        Cluster c = new Cluster(dir, ports.get(0), ports.subList(1, ports.size()), options);
        c.writeConfig(extraConfig);
        c.startCoordinator(); // stops its processes itself when the cluster never settles
        return c;
    }

    /** {@code extra} may say {@code listen: <address>:${port}}: this cluster's port on another address. */
    void writeConfig(String extra) throws IOException {
        extra = extra.replace("${port}", Integer.toString(port));
        List<String> urls = new ArrayList<>();
        workerPorts.forEach(p -> urls.add("http://localhost:" + p));
        urls.addAll(remoteWorkers);
        String workers = urls.stream().map(u -> "  - " + u).collect(Collectors.joining("\n"));
        Files.writeString(dir.resolve("config.yaml"), "workers:\n" + workers + "\n"
                + "database: " + database + "\nworker_logs: logs/\nworker_persist: 1\nconfig_check: " + options.configCheck()
                + "\n"
                + listenLine(extra) + "health_check: 0.25\ncluster_secret: " + SECRET + "\n" + extra);
    }

    /** {@code listen: port} (loopback), unless {@code extra} sets {@code listen} itself. */
    private String listenLine(String extra) {
        return extra.lines().anyMatch(l -> l.startsWith("listen:")) ? "" : "listen: " + port + "\n";
    }

    void startCoordinator() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx512m", "-jar", Path.of(JAR).toAbsolutePath().toString(),
                "coordinator", "--config", dir.resolve("config.yaml").toString());
        if (options.workerJavaOpts() != null) {
            builder.environment().put("COUNTAPP_WORKER_JAVA_OPTS", options.workerJavaOpts());
        }
        coordinator = builder
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("coordinator.log").toFile()))
                .start();
        try {
            awaitReady();
        } catch (RuntimeException | Error e) {
            // The caller never gets a Cluster to close: stop the processes here, or they outlive the test run.
            close();
            throw e;
        }
    }

    /** Waits until the coordinator reports every worker live and every partition owned. */
    void awaitReady() {
        awaitSettled(workerPorts.size());
    }

    void awaitSettled(int liveWorkers) {
        Awaitility.await("cluster settled with " + liveWorkers + " live workers").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptions()
                .until(() -> {
                    assertThat(coordinator.isAlive()).as("coordinator alive; log:\n%s", log()).isTrue();
                    String status = get("/").body();
                    int live = status.split("\"live\":true", -1).length - 1;
                    return status.contains("\"settled\":true") && live == liveWorkers;
                });
    }

    Process coordinator() {
        return coordinator;
    }

    String log() {
        try {
            return Files.readString(dir.resolve("coordinator.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    HttpResponse<String> post(String body) throws IOException, InterruptedException {
        return post(port, body);
    }

    static HttpResponse<String> post(int port, String body) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/items"))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A GET to the coordinator, with the ops key when one is set (with auth on, {@code /} needs it). */
    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(60)).GET();
        if (options.opsKey() != null) {
            b.header("Authorization", "Bearer " + options.opsKey());
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The worker's graceful {@code /kill}, with the cluster secret. */
    static HttpResponse<String> kill(int workerPort) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + workerPort + "/kill"))
                .timeout(Duration.ofSeconds(30)).header("X-CountApp-Secret", SECRET)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    long count(String tenant) throws IOException, InterruptedException {
        HttpResponse<String> r = get("/items/" + encode(tenant) + "/count");
        assertThat(r.statusCode()).as("count of %s: %s", tenant, r.body()).isEqualTo(200);
        return longField(r.body(), "count");
    }

    static long longField(String json, String field) {
        Matcher m = Pattern.compile("\"" + field + "\":(\\d+)").matcher(json);
        assertThat(m.find()).as("%s in %s", field, json).isTrue();
        return Long.parseLong(m.group(1));
    }

    static String encode(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_') {
                sb.append((char) c);
            } else {
                sb.append(String.format("%%%02X", c));
            }
        }
        return sb.toString();
    }

    /** JSON array of items with the given tenant and ids. */
    static String items(String tenant, List<String> ids) {
        return ids.stream().map(id -> "{\"id\":\"" + id + "\",\"tenant\":\"" + tenant + "\"}")
                .collect(Collectors.joining(",", "[", "]"));
    }

    /** The pid of the worker on {@code workerPort}, from its own health answer (asked as the coordinator does). */
    long workerPid(int workerPort) throws IOException, InterruptedException {
        return longField(send(HttpRequest.newBuilder(URI.create("http://localhost:" + workerPort + "/"))
                .timeout(Duration.ofSeconds(60)).header("X-CountApp-Secret", SECRET).GET().build()).body(), "pid");
    }

    /** Pids of the coordinator's live child processes (its workers). */
    List<ProcessHandle> workerProcesses() {
        return coordinator.descendants().filter(ProcessHandle::isAlive).collect(Collectors.toList());
    }

    static Optional<ProcessHandle> process(long pid) {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    }

    /** SIGTERM to the coordinator (which stops its workers), then SIGKILL to anything left. */
    @Override
    public void close() {
        if (coordinator == null) {
            return;
        }
        List<ProcessHandle> children = coordinator.descendants().collect(Collectors.toList());
        coordinator.destroy();
        try {
            if (!coordinator.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                coordinator.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            coordinator.destroyForcibly();
        }
        for (ProcessHandle child : children) {
            child.destroyForcibly();
        }
    }

    static List<Integer> freePorts(int n) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            List<Integer> ports = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0);
                sockets.add(s);
                ports.add(s.getLocalPort());
            }
            return ports;
        } finally {
            for (ServerSocket s : sockets) {
                s.close();
            }
        }
    }
}
