package countapp.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import countapp.config.Config;
import countapp.config.ConfigLoader;
import countapp.config.WorkerEndpoint;
import countapp.metrics.ClusterMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The supervisor against stand-in workers: fake processes and a fake worker API whose answers the test
 * controls, so lifecycle corner cases run in milliseconds and exactly as written.
 */
@Timeout(60)
class SupervisorTest {
    @TempDir
    Path dir;

    private final FakeWorkers fakes = new FakeWorkers();
    private Supervisor supervisor;

    @AfterEach
    void stop() {
        if (supervisor != null) {
            supervisor.stop();
        }
    }

    private Config config(int... ports) throws Exception {
        String workers = java.util.Arrays.stream(ports).mapToObj(p -> "  - http://localhost:" + p + "\n")
                .collect(Collectors.joining());
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, "workers:\n" + workers + "database: db/\nworker_logs: logs/\nhealth_check: 0.05\n"
                + "config_check: 1\npartitions: 8\nlisten: 5999\n");
        return ConfigLoader.load(file);
    }

    private Supervisor start(Config config) {
        supervisor = new Supervisor(config, 8, fakes, System::currentTimeMillis, fakes,
                new ClusterMetrics(new SimpleMeterRegistry()));
        supervisor.start();
        return supervisor;
    }

    private WorkerHandle handle(int port) {
        for (WorkerHandle w : supervisor.workers()) {
            if (w.endpoint.port() == port) {
                return w;
            }
        }
        return null;
    }

    private void awaitLifecycle(int port, Lifecycle expected) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> handle(port).lifecycle() == expected);
    }

    private void awaitSettled(int... ports) {
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
            Routing table = supervisor.routing();
            for (int p = 0; p < table.partitions(); p++) {
                WorkerHandle owner = table.owner(p);
                if (owner == null || !owner.live || !owner.owned.contains(p)) {
                    return false;
                }
            }
            return supervisor.workers().size() == ports.length;
        });
    }

    @Test
    void start_twoWorkers_bothRunningAndEveryPartitionOwnedOnce() throws Exception {
        start(config(7001, 7002));

        awaitSettled(7001, 7002);

        assertThat(handle(7001).lifecycle()).isEqualTo(Lifecycle.RUNNING);
        assertThat(handle(7001).owned.size() + handle(7002).owned.size()).isEqualTo(8);
        assertThat(fakes.everHeldByTwo).isFalse();
    }

    /** Issue "Hardening": a worker removed, re-added while draining and removed again was never stopped. */
    @Test
    void removedReaddedWhileDrainingRemovedAgain_isStopped() throws Exception {
        start(config(7001, 7002));
        awaitSettled(7001, 7002);
        fakes.lingerOnKill.add(7002); // its graceful stop takes a while: the config changes meanwhile

        supervisor.apply(config(7001));
        awaitLifecycle(7002, Lifecycle.STOPPING);
        supervisor.apply(config(7001, 7002));
        awaitLifecycle(7002, Lifecycle.RESTARTING);
        supervisor.apply(config(7001));
        awaitLifecycle(7002, Lifecycle.STOPPING);
        fakes.finishDraining(7002);

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> handle(7002) == null);
        assertThat(fakes.running(7002)).as("no process of the removed worker is left").isZero();
        awaitSettled(7001);
        assertThat(fakes.everHeldByTwo).isFalse();
    }

    @Test
    void readdedWhileDraining_oldProcessExits_spawnedAgainAndTakesItsShare() throws Exception {
        start(config(7001, 7002));
        awaitSettled(7001, 7002);
        fakes.lingerOnKill.add(7002);

        supervisor.apply(config(7001));
        awaitLifecycle(7002, Lifecycle.STOPPING);
        supervisor.apply(config(7001, 7002));
        awaitLifecycle(7002, Lifecycle.RESTARTING);
        long spawnsBefore = fakes.spawns.get();
        fakes.finishDraining(7002);

        awaitSettled(7001, 7002);
        assertThat(fakes.spawns.get()).isEqualTo(spawnsBefore + 1);
        assertThat(handle(7002).owned).isNotEmpty();
        assertThat(fakes.everHeldByTwo).isFalse();
    }

    @Test
    void processDies_partitionsMoveThenComeBackAfterRespawn() throws Exception {
        start(config(7001, 7002));
        awaitSettled(7001, 7002);
        Set<Integer> before = Set.copyOf(handle(7002).owned);

        long spawns = fakes.spawns.get();
        fakes.crash(7002);

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> fakes.spawns.get() == spawns + 1);
        awaitLifecycle(7002, Lifecycle.RUNNING);
        awaitSettled(7001, 7002);
        assertThat(handle(7002).owned).isEqualTo(before);
        assertThat(fakes.everHeldByTwo).isFalse();
    }

    @Test
    void removedWhileDown_forgottenAndNeverRespawned() throws Exception {
        start(config(7001, 7002));
        awaitSettled(7001, 7002);
        fakes.failSpawns.add(7002);
        fakes.crash(7002);
        awaitLifecycle(7002, Lifecycle.EXITED);
        long spawns = fakes.spawns.get();

        supervisor.apply(config(7001));

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> handle(7002) == null);
        awaitSettled(7001);
        // Longer than the first respawn backoff: no spawn may happen.
        Awaitility.await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(5))
                .until(() -> fakes.spawns.get() == spawns);
    }

    /** Issue 20: under load, healthy workers that answered late were failed over. */
    @Test
    void issue20_silentWorkerWhoseCpuTimeGrows_staysLiveAndKeepsItsPartitions() throws Exception {
        start(config(7001, 7002));
        awaitSettled(7001, 7002);
        Set<Integer> before = Set.copyOf(handle(7002).owned);
        AtomicLong ticks = new AtomicLong();
        fakes.kernel.put(7002, () -> new ProcessProbe.Sample(true, false, ticks.addAndGet(10)));
        fakes.silent.add(7002);

        // Four health time-outs (1 s each) without an answer: two would have been enough to fail it over.
        Awaitility.await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(8))
                .until(() -> handle(7002).live && handle(7002).owned.equals(before));
        assertThat(supervisor.routing().partitionsOf(handle(7002))).isEqualTo(before);
        assertThat(fakes.processes.get(7002).isAlive()).isTrue();
    }

    @Test
    void silentWorkerShownStopped_killedAndItsPartitionsMove() throws Exception {
        start(config(7001, 7002));
        awaitSettled(7001, 7002);
        FakeProcess stopped = fakes.processes.get(7002);
        fakes.kernel.put(7002, () -> new ProcessProbe.Sample(true, true, 500));
        fakes.silent.add(7002);

        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !stopped.isAlive());
        assertThat(stopped.exitValue()).isEqualTo(137);
        fakes.silent.remove(7002);
        fakes.kernel.remove(7002);
        assertThat(fakes.everHeldByTwo).isFalse();
    }

    @Test
    void silentWorkerWhoseCpuTimeStands_failedOverAfterTwoMisses() throws Exception {
        start(config(7001, 7002));
        awaitSettled(7001, 7002);
        fakes.kernel.put(7002, () -> new ProcessProbe.Sample(true, false, 500));
        fakes.silent.add(7002);

        Awaitility.await().atMost(Duration.ofSeconds(8)).until(() -> !handle(7002).live);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(
                () -> supervisor.routing().partitionsOf(handle(7001)).size() == 8);
    }

    @Test
    void move_illegalTransition_throws() {
        WorkerHandle w = new WorkerHandle(new WorkerEndpoint("http://localhost:1", "localhost", 1, true));
        w.move(Lifecycle.RUNNING);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> w.move(Lifecycle.STOPPING))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("RUNNING -> STOPPING");
    }

    /** Stand-in processes and their HTTP API: each "worker" owns what it was last told, while its process runs. */
    static final class FakeWorkers implements WorkerApi, Launcher {
        final Set<Integer> lingerOnKill = ConcurrentHashMap.newKeySet();
        final Set<Integer> failSpawns = ConcurrentHashMap.newKeySet();
        /** Workers whose health checks get no answer at all (a stopped or very slow process). */
        final Set<Integer> silent = ConcurrentHashMap.newKeySet();
        /** What the kernel shows of each worker's process; unknown where not set. */
        final Map<Integer, java.util.function.Supplier<ProcessProbe.Sample>> kernel = new ConcurrentHashMap<>();
        final AtomicLong spawns = new AtomicLong();
        final Map<Integer, FakeProcess> processes = new ConcurrentHashMap<>();
        final Map<Integer, Set<Integer>> owned = new ConcurrentHashMap<>();
        final List<FakeProcess> all = new CopyOnWriteArrayList<>();
        volatile boolean everHeldByTwo;

        @Override
        public Process launch(WorkerEndpoint endpoint, Config config) throws java.io.IOException {
            if (failSpawns.contains(endpoint.port())) {
                throw new java.io.IOException("cannot start (test)");
            }
            FakeProcess p = new FakeProcess(100_000 + spawns.incrementAndGet());
            processes.put(endpoint.port(), p);
            owned.put(endpoint.port(), Set.of());
            all.add(p);
            return p;
        }

        long running(int port) {
            FakeProcess p = processes.get(port);
            return p != null && p.isAlive() ? 1 : 0;
        }

        void crash(int port) {
            owned.put(port, Set.of());
            processes.get(port).exit(137);
        }

        void finishDraining(int port) {
            owned.put(port, Set.of());
            processes.get(port).exit(0);
        }

        private boolean up(WorkerHandle w) {
            FakeProcess p = processes.get(w.endpoint.port());
            return p != null && p.isAlive();
        }

        @Override
        public ProcessProbe probe() {
            return p -> processes.entrySet().stream().filter(e -> e.getValue() == p).findFirst()
                    .map(e -> kernel.getOrDefault(e.getKey(), () -> ProcessProbe.Sample.UNKNOWN).get())
                    .orElse(ProcessProbe.Sample.UNKNOWN);
        }

        @Override
        public Future<Reply> health(WorkerHandle w, long timeoutMs) {
            if (!up(w)) {
                return Future.failedFuture("Connection refused (test)");
            }
            if (silent.contains(w.endpoint.port())) {
                return io.vertx.core.Promise.<Reply>promise().future(); // never answers
            }
            return Future.succeededFuture(reply(owned.get(w.endpoint.port())));
        }

        @Override
        public synchronized Future<Reply> assign(WorkerHandle w, Set<Integer> partitions) {
            if (!up(w)) {
                return Future.failedFuture("Connection refused (test)");
            }
            owned.put(w.endpoint.port(), Set.copyOf(partitions));
            for (int p : partitions) {
                long holders = owned.entrySet().stream().filter(e -> running(e.getKey()) == 1 && e.getValue().contains(p)).count();
                everHeldByTwo |= holders > 1;
            }
            return Future.succeededFuture(reply(partitions));
        }

        @Override
        public void kill(WorkerHandle w) {
            int port = w.endpoint.port();
            FakeProcess p = processes.get(port);
            if (p != null && !lingerOnKill.contains(port)) {
                owned.put(port, Set.of());
                p.exit(0);
            }
        }

        private static Reply reply(Set<Integer> partitions) {
            String list = partitions.stream().sorted().map(String::valueOf).collect(Collectors.joining(","));
            return new Reply(200, ("{\"status\":\"ok\",\"pid\":1,\"uptime_ms\":1,\"blocked\":{},\"partitions\":[" + list + "]}")
                    .getBytes(StandardCharsets.UTF_8));
        }
    }

    /** A process that exits when told to (or when destroyed). */
    static final class FakeProcess extends Process {
        private final long pid;
        private final CompletableFuture<Process> exit = new CompletableFuture<>();
        private volatile int code = -1;

        FakeProcess(long pid) {
            this.pid = pid;
        }

        void exit(int exitCode) {
            code = exitCode;
            exit.complete(this);
        }

        @Override
        public long pid() {
            return pid;
        }

        @Override
        public CompletableFuture<Process> onExit() {
            return exit;
        }

        @Override
        public OutputStream getOutputStream() {
            return OutputStream.nullOutputStream();
        }

        @Override
        public InputStream getInputStream() {
            return InputStream.nullInputStream();
        }

        @Override
        public InputStream getErrorStream() {
            return InputStream.nullInputStream();
        }

        @Override
        public int waitFor() throws InterruptedException {
            try {
                exit.get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(e);
            }
            return code;
        }

        @Override
        public boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
            try {
                exit.get(timeout, unit);
                return true;
            } catch (java.util.concurrent.TimeoutException e) {
                return false;
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public int exitValue() {
            if (!exit.isDone()) {
                throw new IllegalThreadStateException("still running");
            }
            return code;
        }

        @Override
        public boolean isAlive() {
            return !exit.isDone();
        }

        @Override
        public void destroy() {
            exit(143);
        }

        @Override
        public Process destroyForcibly() {
            exit(137);
            return this;
        }
    }
}
