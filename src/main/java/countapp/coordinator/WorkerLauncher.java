package countapp.coordinator;

import countapp.config.ClusterSecret;
import countapp.config.Config;
import countapp.config.RedisConfig;
import countapp.config.WorkerEndpoint;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a local worker JVM with the coordinator's own Java and class path. The worker reads the config
 * file itself (and re-reads it for what may change while it runs), but the database it opens is the one in
 * force, passed on its command line: the file may have been edited since the coordinator started, and a
 * worker respawned onto an edited {@code database} would serve other data than its peers. Likewise, with
 * auth on, it refuses a file without auth rather than come up open.
 */
final class WorkerLauncher implements Launcher {
    /** Environment variable of the coordinator with extra JVM options for the workers it spawns. */
    static final String WORKER_JAVA_OPTS = "COUNTAPP_WORKER_JAVA_OPTS";
    static final long MIN_HEAP_MB = 512;
    /** Below 32 GiB the JVM keeps compressed object pointers. */
    static final long MAX_HEAP_MB = 31 * 1024;
    private final Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    private final String classPath = absoluteClassPath();
    private final ClusterSecret secret;

    WorkerLauncher(ClusterSecret secret) {
        this.secret = secret;
    }

    /**
     * A worker's heap ceiling in MiB. With the embedded store the index of stored pairs lives on the heap
     * (11 to 21 bytes a pair), so the local workers share half of the machine's memory, leaving the rest to
     * the page cache and the coordinator; the store refuses writes before this fills (see the README). With
     * Redis a worker holds only requests in flight.
     */
    static long heapCeilingMb(long physicalBytes, int localWorkers, boolean embedded) {
        if (!embedded || physicalBytes <= 0) {
            return MIN_HEAP_MB;
        }
        long share = (physicalBytes / 2 / Math.max(1, localWorkers)) >> 20;
        return Math.max(MIN_HEAP_MB, Math.min(MAX_HEAP_MB, share));
    }

    private static long physicalMemoryBytes() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        // The container's limit inside a container: the JVM reports what it may use.
        return os instanceof com.sun.management.OperatingSystemMXBean
                ? ((com.sun.management.OperatingSystemMXBean) os).getTotalMemorySize() : -1;
    }

    private static int localWorkers(Config config) {
        return (int) config.workers().stream().filter(WorkerEndpoint::local).count();
    }

    @Override
    public Process launch(WorkerEndpoint endpoint, Config config) throws IOException {
        Files.createDirectories(config.workerLogs());
        Path log = logFile(endpoint, config);
        List<String> command = new ArrayList<>(List.of(java.toString(),
                "-XX:+UseSerialGC", "-Xms16m", "-Xmx" + heapCeilingMb(physicalMemoryBytes(), localWorkers(config),
                        config.redis() == null) + "m", "-XX:+ExitOnOutOfMemoryError",
                // A heap that follows the data: each full collection shrinks it back to these ratios.
                "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=30"));
        // Extra JVM options for workers (a larger -Xmx for a large index, a profiler agent): after the
        // defaults, so they win.
        String extra = System.getenv(WORKER_JAVA_OPTS);
        if (extra != null && !extra.isBlank()) {
            command.addAll(List.of(extra.trim().split("\\s+")));
        }
        command.addAll(List.of("-cp", classPath, "countapp.cli.Main", "worker",
                "--port", Integer.toString(endpoint.port()),
                "--bind", config.workerBind(),
                "--config", config.source().toString(),
                "--parent-pid", Long.toString(ProcessHandle.current().pid()),
                "--database", config.databaseName(),
                "--partitions", Integer.toString(config.partitions()),
                "--windows", countapp.config.Pins.windowsOption(config.windows())));
        RedisConfig redis = config.redis();
        if (redis != null) {
            command.addAll(List.of("--redis-wait-replicas", Integer.toString(redis.waitReplicas()),
                    "--redis-timeout", Double.toString(redis.timeout().toMillis() / 1000.0)));
        }
        if (config.auth().enabled()) {
            command.add("--auth-required"); // a file edited to drop auth must not bring up an open worker
        }
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put(ClusterSecret.ENV, secret.value());
        builder.environment().remove(RedisConfig.PASSWORD_ENV);
        if (redis != null && redis.password() != null) {
            builder.environment().put(RedisConfig.PASSWORD_ENV, redis.password());
        }
        return builder
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
    }

    static Path logFile(WorkerEndpoint endpoint, Config config) {
        return config.workerLogs().resolve(endpoint.port() + ".log");
    }

    private static String absoluteClassPath() {
        List<String> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator, -1)) {
            if (!entry.isEmpty()) {
                entries.add(Path.of(entry).toAbsolutePath().toString());
            }
        }
        return String.join(File.pathSeparator, entries);
    }
}
