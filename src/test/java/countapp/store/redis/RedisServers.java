package countapp.store.redis;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Real {@code redis-server} processes for tests: each on a free loopback port (never 6379), with its data
 * in its own folder, AOF on and fsynced on every write so a restart keeps everything acknowledged.
 */
public final class RedisServers {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

    private RedisServers() {}

    /** Skips the calling test, loudly, when redis-server or redis-cli is not installed. */
    public static void assumeInstalled() {
        boolean installed = onPath("redis-server") && onPath("redis-cli");
        if (!installed) {
            System.err.println("\n"
                    + "**********************************************************************\n"
                    + "*  SKIPPING REDIS TESTS: redis-server / redis-cli not found on PATH.  *\n"
                    + "*  Install them (apt-get install redis-server redis-tools) to run.   *\n"
                    + "*  CI installs them in .ci/run and runs these tests.                 *\n"
                    + "**********************************************************************\n");
        }
        countapp.testing.Prerequisite.require(installed, "redis-server and redis-cli are not installed");
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    /** A port that is free, and whose cluster bus port (port + 10000) is free too. */
    static int freePort() throws IOException {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(20_000, 40_000);
            if (port != 6379 && free(port) && free(port + 10_000)) {
                return port;
            }
        }
        throw new IOException("no free port pair found");
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port)) {
            return s.isBound();
        } catch (IOException e) {
            return false;
        }
    }

    /** A standalone server in {@code dir}. */
    public static Server standalone(Path dir) throws Exception {
        Server s = new Server(dir, freePort(), List.of());
        s.start();
        return s;
    }

    /**
     * A Redis Cluster of {@code masters} masters with {@code replicas} replicas each, every node in its
     * own folder under {@code dir}; returns once every node reports {@code cluster_state:ok} and every
     * master has its replicas attached.
     */
    public static RedisCluster cluster(Path dir, int masters, int replicas) throws Exception {
        List<Server> nodes = new ArrayList<>();
        RedisCluster cluster = new RedisCluster(nodes, masters, replicas);
        try {
            for (int i = 0; i < masters * (1 + replicas); i++) {
                Path nodeDir = dir.resolve("node" + i);
                Files.createDirectories(nodeDir);
                Server s = new Server(nodeDir, freePort(), List.of("--cluster-enabled", "yes",
                        "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "2000"));
                nodes.add(s);
                s.start();
            }
            List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
            for (Server s : nodes) {
                create.add("127.0.0.1:" + s.port);
            }
            create.addAll(List.of("--cluster-replicas", Integer.toString(replicas), "--cluster-yes"));
            String out = run(Duration.ofSeconds(60), create);
            if (!out.contains("All 16384 slots covered")) {
                throw new IllegalStateException("redis-cli --cluster create failed:\n" + out);
            }
            cluster.awaitHealthy(Duration.ofSeconds(60));
            return cluster;
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    /** Runs a command, bounded, and returns its combined output. */
    static String run(Duration timeout, List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("timed out: " + command);
            }
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            p.destroyForcibly();
        }
    }

    /** {@code redis-cli -p port args…}, bounded; returns the output, or the error text. */
    public static String cli(int port, String... args) {
        List<String> command = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(port)));
        command.addAll(List.of(args));
        try {
            return run(Duration.ofSeconds(10), command).trim();
        } catch (Exception e) {
            return "ERROR " + e;
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** One redis-server process; it can be SIGKILLed and restarted on the same port with the same data. */
    public static final class Server implements AutoCloseable {
        public final Path dir;
        public final int port;
        private final List<String> extra;
        private Process process;

        Server(Path dir, int port, List<String> extra) {
            this.dir = dir;
            this.port = port;
            this.extra = extra;
        }

        public String url() {
            return "redis://127.0.0.1:" + port;
        }

        public synchronized void start() throws Exception {
            List<String> command = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(port),
                    "--bind", "127.0.0.1", "--dir", dir.toString(), "--save", "", "--appendonly", "yes",
                    "--appendfsync", "always", "--daemonize", "no", "--protected-mode", "no",
                    "--logfile", dir.resolve("redis.log").toString()));
            command.addAll(extra);
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.out").toFile())).start();
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            while (!"PONG".equals(cli(port, "ping"))) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("redis-server on port " + port + " did not start; log:\n"
                            + log());
                }
                sleep(50);
            }
        }

        public String log() {
            try {
                return Files.readString(dir.resolve("redis.log"));
            } catch (IOException e) {
                return "(no log: " + e + ")";
            }
        }

        public synchronized long pid() {
            return process.pid();
        }

        /** SIGKILL: no shutdown save, the AOF holds what was fsynced. */
        public synchronized void kill() throws InterruptedException {
            if (process != null && process.isAlive()) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }

        public synchronized boolean alive() {
            return process != null && process.isAlive();
        }

        @Override
        public void close() {
            try {
                kill();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The servers of a Redis Cluster. */
    public static final class RedisCluster implements AutoCloseable {
        public final List<Server> nodes;
        private final int masters;
        private final int replicas;

        RedisCluster(List<Server> nodes, int masters, int replicas) {
            this.nodes = nodes;
            this.masters = masters;
            this.replicas = replicas;
        }

        /** {@code redis://h:p,h:p,…} of every node. */
        public String url() {
            StringBuilder sb = new StringBuilder("redis://");
            for (int i = 0; i < nodes.size(); i++) {
                sb.append(i == 0 ? "" : ",").append("127.0.0.1:").append(nodes.get(i).port);
            }
            return sb.toString();
        }

        /** Nodes that are alive and currently masters. */
        public List<Server> liveMasters() {
            List<Server> result = new ArrayList<>();
            for (Server s : nodes) {
                if (s.alive() && cli(s.port, "role").startsWith("master")) {
                    result.add(s);
                }
            }
            return result;
        }

        /**
         * Waits until every live node says {@code cluster_state:ok}, {@code masters} live masters
         * exist, and each has {@code replicas} replicas online.
         */
        public void awaitHealthy(Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            String last = "";
            while (System.nanoTime() < deadline) {
                boolean ok = true;
                for (Server s : nodes) {
                    if (s.alive() && !cli(s.port, "cluster", "info").contains("cluster_state:ok")) {
                        ok = false;
                        last = "node " + s.port + " not ok";
                    }
                }
                List<Server> live = liveMasters();
                if (live.size() != masters) {
                    ok = false;
                    last = live.size() + " live masters";
                }
                for (Server m : live) {
                    String info = cli(m.port, "info", "replication");
                    long online = info.lines().filter(l -> l.startsWith("slave") && l.contains("state=online")).count();
                    if (online < replicas) {
                        ok = false;
                        last = "master " + m.port + " has " + online + " replicas online";
                    }
                }
                if (ok) {
                    return;
                }
                sleep(200);
            }
            throw new IllegalStateException("Redis Cluster not healthy within " + timeout + ": " + last);
        }

        @Override
        public void close() {
            for (Server s : nodes) {
                s.close();
            }
        }
    }
}
