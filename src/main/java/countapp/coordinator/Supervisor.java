package countapp.coordinator;

import countapp.config.Config;
import countapp.config.WorkerEndpoint;
import countapp.metrics.ClusterMetrics;
import countapp.ops.Console;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spawns, watches and reconciles the workers, and owns the partition table.
 *
 * <p>Design: one thread ({@code supervisor}) owns all worker state; process exits, HTTP answers and
 * timers only enqueue work onto it, so there are no locks. Each round it
 * <ol>
 *   <li>health-checks every worker concurrently: a worker is live while it answers; two misses in a row
 *       (or its process exiting) make it not live;</li>
 *   <li>SIGKILLs a spawned worker that stayed unresponsive for {@link #stallLimit()}, so a stalled
 *       process cannot hold its partitions' RocksDB locks forever (it is then respawned);</li>
 *   <li>computes the table by rendezvous hashing over the live workers and swaps it whole when it
 *       changes: a dead worker's partitions move to the survivors, a returning one takes its own back;</li>
 *   <li>pushes each live worker the partitions it should own, releases first: a worker is given a
 *       partition only once no other live worker reports owning it. A stalled (not live) former owner may
 *       still hold one; the new owner's open then waits on the partition's LOCK file, which fences it.</li>
 * </ol>
 * Requests follow the table; one sent to a worker that does not own the partition (yet) is answered 421
 * and retried by the {@link Forwarder}, so a moving partition costs latency, not errors.
 */
final class Supervisor {
    private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);
    private static final long FAST_ROUND_MS = 100;
    private static final long MAX_BACKOFF_MS = 10_000;
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);
    private static final int MISSES_BEFORE_DOWN = 2;
    /** At start, workers come up one by one: keep the full table for this long rather than shuffle it. */
    private static final long STARTUP_GRACE_MS = 30_000;

    private final int partitions;
    private final WorkerClient client;
    private final WorkerLauncher launcher;
    private final LongSupplier clock;
    private final ClusterMetrics metrics;
    /** Supervisor thread only. */
    private final Map<String, WorkerHandle> workers = new LinkedHashMap<>();
    /** Snapshot of {@link #workers} for other threads. */
    private volatile List<WorkerHandle> view = List.of();
    private final AtomicReference<Routing> routing = new AtomicReference<>();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "supervisor");
        t.setDaemon(true);
        return t;
    });
    private volatile Config config;
    private volatile boolean stopping;
    private boolean roundScheduled;
    /** Until every worker has been live once (or the grace ran out), the table covers all workers. */
    private boolean starting = true;
    private long startedAtMillis;

    Supervisor(Config config, int partitions, WorkerClient client, LongSupplier clockMillis, WorkerLauncher launcher,
            ClusterMetrics metrics) {
        this.config = config;
        this.launcher = launcher;
        this.partitions = partitions;
        this.client = client;
        this.clock = clockMillis;
        this.metrics = metrics;
        config.workers().forEach(e -> workers.put(e.url(), handle(e)));
        view = List.copyOf(workers.values());
        routing.set(Routing.of(partitions, workers.values()));
    }

    Routing routing() {
        return routing.get();
    }

    List<WorkerHandle> workers() {
        return view;
    }

    Config config() {
        return config;
    }

    int partitions() {
        return partitions;
    }

    private WorkerHandle handle(WorkerEndpoint endpoint) {
        WorkerHandle w = new WorkerHandle(endpoint);
        w.meters = metrics.register(endpoint.url(), () -> w.live, () -> w.owned.size());
        return w;
    }

    /** Spawns the local workers and starts reconciling; returns at once. */
    void start() {
        thread.execute(() -> {
            startedAtMillis = clock.getAsLong();
            for (WorkerHandle w : workers.values()) {
                if (w.endpoint.local()) {
                    spawn(w);
                } else {
                    LOG.info("remote worker {}: health-checked and routed to, never spawned", w.url());
                }
            }
            round();
        });
    }

    /**
     * Applies a reloaded config: spawns added workers, retires removed ones, takes new intervals. Its
     * {@code database}, {@code partitions} and {@code listen} are those in force (see ConfigLoader.reload),
     * and are what every worker spawned from now on is given.
     */
    void apply(Config fresh) {
        thread.execute(() -> {
            Config old = config;
            config = fresh;
            Set<String> wanted = new HashSet<>();
            for (WorkerEndpoint e : fresh.workers()) {
                wanted.add(e.url());
                WorkerHandle w = workers.get(e.url());
                if (w == null) {
                    w = handle(e);
                    workers.put(e.url(), w);
                    LOG.info("config: worker {} added", e.url());
                    if (e.local()) {
                        spawn(w);
                    }
                } else if (w.retiring) {
                    w.retiring = false;
                    // A /kill may be on its way already: forget it, so a later removal sends another.
                    w.killSent = false;
                    LOG.info("config: worker {} is back in the config; keeping it", e.url());
                }
            }
            for (WorkerHandle w : workers.values()) {
                if (!wanted.contains(w.url()) && !w.retiring) {
                    w.retiring = true;
                    LOG.info("config: worker {} removed; moving its partitions away before stopping it", w.url());
                }
            }
            view = List.copyOf(workers.values());
            if (!fresh.healthCheck().equals(old.healthCheck())) {
                LOG.info("config: health_check is now {} ms", fresh.healthCheck().toMillis());
            }
            round();
        });
    }

    private void spawn(WorkerHandle w) {
        w.respawnScheduled = false;
        if (stopping || w.retiring || workers.get(w.url()) != w) {
            return;
        }
        try {
            Process p = launcher.launch(w.endpoint, config);
            w.process = p;
            w.live = false;
            w.healthFailures = 0;
            w.spawnedAtMillis = clock.getAsLong();
            w.meters.spawned();
            LOG.info("🔮 spawned worker {} (pid {}), log {}", Console.bold(w.url()), p.pid(),
                    WorkerLauncher.logFile(w.endpoint, config));
            p.onExit().thenAccept(exited -> thread.execute(() -> onExit(w, exited)));
        } catch (Exception e) {
            LOG.error("cannot spawn worker {}: {}", w.url(), e.toString());
            scheduleRespawn(w);
        }
    }

    private void onExit(WorkerHandle w, Process exited) {
        if (w.process != exited) {
            return;
        }
        w.process = null;
        w.live = false;
        w.owned = Set.of(); // a dead process holds no partition locks
        w.pushing = null;
        if (stopping) {
            LOG.info("🛑 worker {} (pid {}) stopped, exit code {}", w.url(), exited.pid(), exited.exitValue());
            return;
        }
        if (w.retiring) {
            LOG.info("🛑 worker {} (pid {}) stopped after removal, exit code {}", w.url(), exited.pid(),
                    exited.exitValue());
            forget(w);
            return;
        }
        w.meters.exited();
        LOG.warn("💀 {} (pid {}) exited with code {} (see {}); its partitions move to live workers",
                Console.red("worker " + w.url()), exited.pid(), exited.exitValue(),
                WorkerLauncher.logFile(w.endpoint, config));
        scheduleRespawn(w);
        round();
    }

    private void scheduleRespawn(WorkerHandle w) {
        if (stopping || w.respawnScheduled || w.retiring) {
            return;
        }
        long delayMs = Math.min(MAX_BACKOFF_MS, 250L << Math.min(w.spawnFailures, 10));
        w.spawnFailures++;
        w.respawnScheduled = true;
        LOG.info("respawning worker {} in {} ms", w.url(), delayMs);
        thread.schedule(() -> spawn(w), delayMs, TimeUnit.MILLISECONDS);
    }

    /** Schedules a round soon, coalescing requests so at most one is pending. */
    private void round() {
        if (!roundScheduled && !stopping) {
            roundScheduled = true;
            thread.execute(this::runRound);
        }
    }

    private void runRound() {
        roundScheduled = false;
        if (stopping) {
            return;
        }
        boolean settled;
        try {
            checkHealth();
            killStalled();
            updateRouting();
            settled = pushAssignments();
            retire();
        } catch (RuntimeException e) {
            LOG.error("supervisor round failed; retrying", e);
            settled = false;
        }
        long next = settled ? config.healthCheck().toMillis() : Math.min(FAST_ROUND_MS, config.healthCheck().toMillis());
        thread.schedule(this::round, next, TimeUnit.MILLISECONDS);
    }

    private void checkHealth() {
        List<WorkerHandle> targets = new ArrayList<>();
        List<java.util.concurrent.CompletableFuture<WorkerClient.Reply>> replies = new ArrayList<>();
        for (WorkerHandle w : workers.values()) {
            if (w.endpoint.local() && w.process == null) {
                continue; // waiting for a respawn
            }
            targets.add(w);
            replies.add(client.health(w, healthTimeoutMs()).toCompletionStage().toCompletableFuture());
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(healthTimeoutMs() + 50);
        for (int i = 0; i < targets.size(); i++) {
            WorkerHandle w = targets.get(i);
            WorkerClient.Reply reply = null;
            String why;
            try {
                reply = replies.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                why = reply.status() == 200 ? null : "status " + reply.status();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                why = describe(e.getCause() == null ? e : e.getCause());
            }
            if (why == null) {
                healthy(w, reply);
            } else {
                unhealthy(w, why);
            }
        }
    }

    /** The message alone when there is one ("Connection refused: …"): it goes to the log and the status page. */
    private static String describe(Throwable e) {
        return e.getMessage() == null || e.getMessage().isBlank() ? e.toString() : e.getMessage();
    }

    private long healthTimeoutMs() {
        // At least 1 s: on a loaded machine a healthy worker can take a few hundred ms to answer, and a
        // false "down" moves its partitions twice.
        return Math.max(1000, Math.min(2000, config.healthCheck().toMillis()));
    }

    private void healthy(WorkerHandle w, WorkerClient.Reply reply) {
        long now = clock.getAsLong();
        w.healthFailures = 0;
        w.lastHealthyMillis = now;
        w.lastCheckMillis = now;
        w.lastCheckOk = true;
        w.lastError = null;
        w.meters.healthCheck(true);
        w.reportedPid = WorkerClient.longField(reply, "pid", -1);
        long uptime = WorkerClient.longField(reply, "uptime_ms", -1);
        w.startedAtMillis = uptime < 0 ? 0 : now - uptime;
        java.util.Map<String, String> blocked = countapp.api.Json.stringMapField(reply.body(), "blocked");
        if (!blocked.equals(w.writeBlocked)) {
            if (!blocked.isEmpty()) {
                LOG.warn("⚠️  {} refuses writes to partitions {}: {}", Console.red("worker " + w.url()),
                        blocked.keySet(), blocked.values().iterator().next());
            } else {
                LOG.info("worker {} takes writes again", w.url());
            }
            w.writeBlocked = java.util.Map.copyOf(blocked);
        }
        if (w.pushing == null) {
            w.owned = WorkerClient.partitions(reply);
        }
        if (!w.live) {
            w.live = true;
            LOG.info("✅ {} is live", Console.green("worker " + w.url()));
        }
    }

    private void unhealthy(WorkerHandle w, String why) {
        w.healthFailures++;
        w.lastCheckMillis = clock.getAsLong();
        w.lastCheckOk = false;
        w.lastError = why;
        w.meters.healthCheck(false);
        if (w.live && w.healthFailures >= MISSES_BEFORE_DOWN) {
            w.live = false;
            LOG.warn("⚠️  {} missed {} health checks ({}); moving its partitions to live workers",
                    Console.red("worker " + w.url()), w.healthFailures, why);
        }
    }

    /** How long a spawned worker may stay unresponsive before it is killed: 5 checks, at least 3 s. */
    private long stallLimit() {
        return Math.max(3000, 5 * config.healthCheck().toMillis());
    }

    private void killStalled() {
        long now = clock.getAsLong();
        for (WorkerHandle w : workers.values()) {
            Process p = w.process;
            if (p == null || w.live || w.healthFailures < MISSES_BEFORE_DOWN) {
                continue;
            }
            long since = Math.max(w.lastHealthyMillis, w.spawnedAtMillis);
            // A fresh spawn gets a longer grace: the JVM and RocksDB must start first.
            long limit = w.lastHealthyMillis >= w.spawnedAtMillis ? stallLimit() : Math.max(stallLimit(), 60_000);
            if (now - since > limit) {
                LOG.warn("💀 killing {} (pid {}): unresponsive for {} ms, so its partitions can move",
                        Console.red("worker " + w.url()), p.pid(), now - since);
                w.meters.killed();
                p.destroyForcibly();
            }
        }
    }

    private void updateRouting() {
        if (starting) {
            boolean allLive = workers.values().stream().allMatch(w -> w.live || w.retiring);
            if (!allLive && clock.getAsLong() - startedAtMillis < STARTUP_GRACE_MS) {
                return; // requests for a partition of a worker still starting wait for it
            }
            starting = false;
        }
        List<WorkerHandle> candidates = new ArrayList<>();
        for (WorkerHandle w : workers.values()) {
            if (w.live && !w.retiring) {
                candidates.add(w);
            }
        }
        if (candidates.isEmpty()) {
            return; // nothing to route to: keep the table; requests wait for a worker to come back
        }
        Routing current = routing.get();
        Routing next = Routing.of(partitions, candidates);
        if (!next.ownerUrls().equals(current.ownerUrls())) {
            int moved = 0;
            for (int p = 0; p < partitions; p++) {
                if (next.owner(p) != current.owner(p)) {
                    moved++;
                }
            }
            routing.set(next);
            metrics.tableChanged(moved);
            LOG.info("partition table changed: {} of {} partitions move; owners now {}", moved, partitions,
                    describe(candidates));
        }
    }

    private static String describe(List<WorkerHandle> workers) {
        List<String> urls = new ArrayList<>();
        workers.forEach(w -> urls.add(w.url()));
        return urls.toString();
    }

    /** Sends each live worker its next assignment; true when every live worker already has its own. */
    private boolean pushAssignments() {
        Routing table = routing.get();
        boolean settled = true;
        for (WorkerHandle w : workers.values()) {
            if (!w.live) {
                settled &= !w.retiring;
                continue;
            }
            // A retiring worker keeps what the table still gives it: the table drops it only once other live
            // workers can take its partitions, so it never releases them before someone can serve them.
            Set<Integer> wanted = table.partitionsOf(w);
            if (wanted.equals(w.owned) && w.pushing == null) {
                continue;
            }
            settled = false;
            Set<Integer> target = new TreeSet<>(wanted);
            target.removeAll(ownedByOtherLiveWorkers(w)); // gain a partition only once released
            if (target.equals(w.owned) || target.equals(w.pushing)) {
                continue;
            }
            push(w, target);
        }
        return settled;
    }

    private Set<Integer> ownedByOtherLiveWorkers(WorkerHandle self) {
        Set<Integer> owned = new HashSet<>();
        for (WorkerHandle w : workers.values()) {
            if (w != self && w.live) {
                owned.addAll(w.owned);
                if (w.pushing != null) {
                    owned.addAll(w.pushing);
                }
            }
        }
        return owned;
    }

    private void push(WorkerHandle w, Set<Integer> target) {
        w.pushing = target;
        client.assign(w, target).onComplete(ar -> thread.execute(() -> {
            if (w.pushing != target) {
                return; // superseded, or the process died meanwhile
            }
            w.pushing = null;
            if (ar.succeeded() && ar.result().status() == 200) {
                Set<Integer> owned = WorkerClient.partitions(ar.result());
                if (!owned.equals(w.owned)) {
                    LOG.info("worker {} owns partitions {}", w.url(), owned);
                }
                w.owned = owned;
            } else {
                String why = ar.succeeded() ? ar.result().text() : ar.cause().toString();
                LOG.warn("worker {} did not take partitions {}: {}", w.url(), target, why);
            }
            round();
        }));
    }

    /** Stops removed workers once their partitions have moved away. */
    private void retire() {
        for (WorkerHandle w : new ArrayList<>(workers.values())) {
            if (!w.retiring || w.killSent) {
                continue;
            }
            boolean released = w.owned.isEmpty() && w.pushing == null;
            if (w.live && !released) {
                continue;
            }
            LOG.info("🛑 stopping removed worker {} (graceful /kill)", w.url());
            w.killSent = true;
            client.kill(w);
            if (w.process == null) {
                forget(w);
            } else {
                Process p = w.process;
                w.live = false;
                thread.schedule(() -> {
                    if (p.isAlive()) {
                        LOG.warn("💀 removed worker {} (pid {}) did not stop; killing it", w.url(), p.pid());
                        p.destroyForcibly();
                    }
                }, STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    private void forget(WorkerHandle w) {
        if (workers.get(w.url()) == w) {
            workers.remove(w.url());
            view = List.copyOf(workers.values());
            w.meters.unregister();
        }
    }

    /** Stops every spawned worker: SIGTERM (a graceful drain), then SIGKILL after a grace period. */
    void stop() {
        stopping = true;
        List<Process> processes = new ArrayList<>();
        for (WorkerHandle w : view) {
            Process p = w.process;
            if (p != null) {
                processes.add(p);
            }
        }
        thread.shutdownNow();
        for (Process p : processes) {
            LOG.info("🛑 stopping worker pid {} (SIGTERM: drain, persist, exit)", p.pid());
            p.destroy();
        }
        long deadline = System.nanoTime() + STOP_GRACE.toNanos();
        for (Process p : processes) {
            try {
                if (!p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    LOG.warn("💀 worker pid {} did not stop within {} s; killing it", p.pid(), STOP_GRACE.toSeconds());
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
    }
}
