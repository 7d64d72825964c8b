package countapp.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * A real CountApp deployment for the client's integration tests: the server's shaded jar runs as a coordinator
 * JVM that spawns real worker JVMs, on free loopback ports, with its data under {@code dir}.
 */
final class LiveCluster implements AutoCloseable {
    static final Path JAR = Path.of(System.getProperty("countapp.jar", "../target/countapp.jar")).toAbsolutePath();

    final Path dir;
    final int port;
    private final Process coordinator;

    private LiveCluster(Path dir, int port, Process coordinator) {
        this.dir = dir;
        this.port = port;
        this.coordinator = coordinator;
    }

    /** Starts a coordinator with {@code workers} local workers and {@code extraConfig} appended to its config. */
    static LiveCluster start(Path dir, int workers, String extraConfig) throws Exception {
        assertThat(JAR).as("the server's jar (built by ./mvnw package in the project's folder)").isRegularFile();
        List<Integer> ports = freePorts(workers + 1);
        StringBuilder config = new StringBuilder("workers:\n");
        ports.subList(1, ports.size()).forEach(p -> config.append("  - http://localhost:").append(p).append('\n'));
        config.append("database: db/\nworker_logs: logs/\nlisten: ").append(ports.get(0))
                .append("\nhealth_check: 0.25\ncluster_secret: client-test-cluster-secret\n").append(extraConfig);
        Files.writeString(dir.resolve("config.yaml"), config);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-Xmx256m", "-jar", JAR.toString(), "coordinator", "--config",
                dir.resolve("config.yaml").toString())
                .directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("coordinator.log").toFile())).start();
        LiveCluster cluster = new LiveCluster(dir, ports.get(0), process);
        try {
            cluster.awaitSettled();
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    String url() {
        return "http://localhost:" + port;
    }

    /** A client of this cluster that never retries (the tests of retries build their own). */
    CountAppClient.Builder client() {
        return CountAppClient.builder().baseUrl(url()).retry(RetryPolicy.none());
    }

    /** Waits until {@code /health} (public) says every partition has a live, confirmed owner. */
    void awaitSettled() {
        CountAppClient probe = client().requestTimeout(Duration.ofSeconds(5)).build();
        Awaitility.await("cluster settled").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .ignoreExceptions().until(() -> {
                    assertThat(coordinator.isAlive()).as("coordinator alive; log:\n%s", log()).isTrue();
                    return probe.health().settled();
                });
    }

    String log() {
        try {
            return Files.readString(dir.resolve("coordinator.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** SIGTERM to the coordinator (which stops its workers), then SIGKILL to anything left. */
    @Override
    public void close() {
        List<ProcessHandle> children = coordinator.descendants().toList();
        coordinator.destroy();
        try {
            if (!coordinator.waitFor(30, TimeUnit.SECONDS)) {
                coordinator.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            coordinator.destroyForcibly();
        }
        children.forEach(ProcessHandle::destroyForcibly);
    }

    private static List<Integer> freePorts(int n) throws IOException {
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
