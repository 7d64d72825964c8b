package countapp.coordinator;

import countapp.config.Config;
import countapp.config.WorkerEndpoint;
import countapp.metrics.ClusterMetrics;
import countapp.ops.Console;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the configured workers running and owns the partition table.
 *
 * <p>Design: one thread ({@code supervisor}) owns all worker state; process exits, HTTP answers and
 * timers only enqueue work onto it, so there are no locks, and nothing on it ever blocks. Each worker
 * moves through its {@link Lifecycle}. Each round
 * <ol>
 *   <li>health-checks every worker with a process ({@link HealthChecks}, answers handled as they come):
 *       a worker is live while it answers; two misses in a row (or its process exiting) make it not live.
 *       Load is not death: a local worker that does not answer in time while its process keeps using CPU
 *       is slow, and its silence is not a miss (up to {@code failover_timeout}); one the kernel shows
 *       stopped (SIGSTOP) is not live at once, and is killed before its partitions move, so it cannot
 *       write after it is resumed ({@link ProcessProbe});</li>
 *   <li>SIGKILLs a spawned worker unresponsive for {@link #stallLimitMs()} ({@link WorkerProcesses}), so a
 *       stalled process cannot hold its partitions' locks forever (it is then respawned);</li>
 *   <li>computes the table by rendezvous hashing over the live, running workers and swaps it whole when it
 *       changes: a dead worker's partitions move to the survivors, a returning one takes its own back;</li>
 *   <li>sends each live worker its next assignment as the {@link AssignmentPlanner} says: releases
 *       before grants, so two live workers never hold one partition (a stalled former owner may; the new
 *       owner's open then waits on the partition's lock file, which fences it);</li>
 *   <li>stops removed workers once their partitions have moved away.</li>
 * </ol>
 * Requests follow the table; one sent to a worker that does not own the partition (yet) is answered 421
 * and retried by the {@link Forwarder}, so a moving partition costs latency, not errors.
 */
final class Supervisor {
    private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);
    private static final long FAST_ROUND_MS = 100;
    private static final int MISSES_BEFORE_DOWN = 2;
    /** At start, workers come up one by one: keep the full table for this long rather than shuffle it. */
    private static final long STARTUP_GRACE_MS = 30_000;

    private final int partitions;
    private final WorkerApi api;
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
    private final HealthChecks health;
    private final ProcessProbe probe;
    private final WorkerProcesses processes;
    private volatile Config config;
    private volatile boolean stopping;
    /** A round is under way (its health checks are out); another asked for meanwhile runs right after. */
    private boolean inRound;
    private boolean roundAgain;
    private boolean roundScheduled;
    /** Until every worker has been live once (or the grace ran out), the table covers all workers. */
    private boolean starting = true;
    private long startedAtMillis;

    Supervisor(Config config, int partitions, WorkerApi api, LongSupplier clockMillis, Launcher launcher,
            ClusterMetrics metrics) {
        this.config = config;
        this.partitions = partitions;
        this.api = api;
        this.clock = clockMillis;
        this.metrics = metrics;
        this.health = new HealthChecks(api, thread, clockMillis);
        this.probe = launcher.probe();
        this.processes = new WorkerProcesses(launcher, thread, clockMillis, this::onExit);
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
                    spawnOrRetry(w);
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
                        spawnOrRetry(w);
                    }
                } else {
                    readded(w);
                }
            }
            for (WorkerHandle w : new ArrayList<>(workers.values())) {
                if (!wanted.contains(w.url())) {
                    removed(w);
                }
            }
            view = List.copyOf(workers.values());
            if (!fresh.healthCheck().equals(old.healthCheck())) {
                LOG.info("config: health_check is now {} ms", fresh.healthCheck().toMillis());
            }
            round();
        });
    }

    private void readded(WorkerHandle w) {
        switch (w.lifecycle()) {
            case RETIRING -> {
                w.move(w.lastHealthyMillis >= w.spawnedAtMillis && w.lastHealthyMillis > 0 ? Lifecycle.RUNNING
                        : Lifecycle.STARTING);
                LOG.info("config: worker {} is back in the config; keeping it", w.url());
            }
            case STOPPING -> {
                w.move(Lifecycle.RESTARTING); // its /kill is on its way: start it again once it has exited
                LOG.info("config: worker {} is back in the config; it is spawned again once it has stopped", w.url());
            }
            default -> { } // still wanted already
        }
    }

    private void removed(WorkerHandle w) {
        switch (w.lifecycle()) {
            case STARTING, RUNNING -> {
                w.move(Lifecycle.RETIRING);
                LOG.info("config: worker {} removed; moving its partitions away before stopping it", w.url());
            }
            case EXITED -> {
                w.move(Lifecycle.GONE); // down already: nothing to stop, and its respawn is off
                forget(w);
                LOG.info("config: worker {} removed while down", w.url());
            }
            case RESTARTING -> w.move(Lifecycle.STOPPING); // its /kill is on its way already
            default -> { } // on its way out already
        }
    }

    private void spawnOrRetry(WorkerHandle w) {
        if (stopping) {
            return;
        }
        if (!processes.spawn(w, config)) {
            w.move(Lifecycle.EXITED);
            processes.afterBackoff(w, () -> respawn(w));
        }
    }

    private void respawn(WorkerHandle w) {
        if (stopping || w.lifecycle() != Lifecycle.EXITED || workers.get(w.url()) != w) {
            return; // removed meanwhile
        }
        w.move(Lifecycle.STARTING);
        spawnOrRetry(w);
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
        switch (w.lifecycle()) {
            case STARTING, RUNNING -> {
                w.move(Lifecycle.EXITED);
                w.meters.exited();
                LOG.warn("💀 {} (pid {}) exited with code {} (see {}); its partitions move to live workers",
                        Console.red("worker " + w.url()), exited.pid(), exited.exitValue(),
                        WorkerLauncher.logFile(w.endpoint, config));
                processes.afterBackoff(w, () -> respawn(w));
            }
            case RETIRING, STOPPING -> {
                w.move(Lifecycle.GONE);
                LOG.info("🛑 worker {} (pid {}) stopped after removal, exit code {}", w.url(), exited.pid(),
                        exited.exitValue());
                forget(w);
            }
            case RESTARTING -> {
                w.move(Lifecycle.STARTING);
                w.spawnFailures = 0;
                spawnOrRetry(w);
            }
            default -> throw new IllegalStateException("worker " + w.url() + " exited in state " + w.lifecycle());
        }
        round();
    }

    /** Asks for a round soon; at most one runs at a time, and one asked for during a round follows it. */
    private void round() {
        if (stopping) {
            return;
        }
        if (inRound) {
            roundAgain = true;
        } else if (!roundScheduled) {
            roundScheduled = true;
            thread.execute(this::runRound);
        }
    }

    private void runRound() {
        roundScheduled = false;
        if (stopping || inRound) {
            return;
        }
        inRound = true;
        List<WorkerHandle> targets = new ArrayList<>();
        for (WorkerHandle w : workers.values()) {
            boolean remote = !w.endpoint.local();
            if ((remote || w.process != null) && w.lifecycle() != Lifecycle.GONE) {
                targets.add(w);
            }
        }
        health.check(targets, healthTimeoutMs(), this::finishRound);
    }

    private void finishRound(Map<WorkerHandle, HealthChecks.Result> results) {
        boolean settled;
        try {
            results.forEach((w, r) -> {
                if (r.ok()) {
                    healthy(w, r.answer());
                } else {
                    unhealthy(w, r);
                }
            });
            for (WorkerHandle w : workers.values()) {
                if (w.stopped) {
                    processes.fence(w);
                } else if (w.healthFailures >= MISSES_BEFORE_DOWN) {
                    processes.killIfStalled(w, stallLimitMs());
                }
            }
            updateRouting();
            settled = pushAssignments();
            retire();
        } catch (RuntimeException e) {
            LOG.error("supervisor round failed; retrying", e);
            settled = false;
        }
        inRound = false;
        if (roundAgain) {
            roundAgain = false;
            round();
            return;
        }
        long next = settled ? config.healthCheck().toMillis() : Math.min(FAST_ROUND_MS, config.healthCheck().toMillis());
        thread.schedule(this::round, next, TimeUnit.MILLISECONDS);
    }

    private long healthTimeoutMs() {
        // At least 1 s: on a loaded machine a healthy worker can take a few hundred ms to answer, and a
        // false "down" moves its partitions twice.
        return Math.max(1000, Math.min(2000, config.healthCheck().toMillis()));
    }

    /** How long a spawned worker may stay unresponsive before it is killed: 5 checks, at least 3 s. */
    private long stallLimitMs() {
        return Math.max(3000, 5 * config.healthCheck().toMillis());
    }

    private void healthy(WorkerHandle w, HealthChecks.Answer answer) {
        long now = clock.getAsLong();
        sample(w);
        w.stopped = false;
        w.healthFailures = 0;
        w.lastHealthyMillis = now;
        w.lastCheckMillis = now;
        w.lastCheckOk = true;
        w.lastError = null;
        w.meters.healthCheck(true);
        w.reportedPid = answer.pid();
        w.startedAtMillis = answer.uptimeMillis() < 0 ? 0 : now - answer.uptimeMillis();
        if (!answer.blocked().equals(w.writeBlocked)) {
            if (!answer.blocked().isEmpty()) {
                LOG.warn("⚠️  {} refuses writes to partitions {}: {}", Console.red("worker " + w.url()),
                        answer.blocked().keySet(), answer.blocked().values().iterator().next());
            } else {
                LOG.info("worker {} takes writes again", w.url());
            }
            w.writeBlocked = Map.copyOf(answer.blocked());
        }
        if (w.pushing == null) {
            w.owned = answer.partitions();
        }
        if (w.lifecycle() == Lifecycle.STARTING) {
            w.move(Lifecycle.RUNNING);
        }
        // A retiring worker is live too (it serves what it owns until the others take it); one told to
        // stop (STOPPING, RESTARTING) is draining and no longer is.
        boolean draining = w.lifecycle() == Lifecycle.STOPPING || w.lifecycle() == Lifecycle.RESTARTING;
        if (!w.live && !draining) {
            w.live = true;
            LOG.info("✅ {} is live", Console.green("worker " + w.url()));
        }
    }

    private void unhealthy(WorkerHandle w, HealthChecks.Result r) {
        long now = clock.getAsLong();
        w.lastCheckMillis = now;
        w.lastCheckOk = false;
        w.lastError = r.failure();
        w.meters.healthCheck(false);
        ProcessProbe.Sample before = w.lastSample;
        ProcessProbe.Sample sample = sample(w);
        if (r.silent() && sample.stopped()) {
            w.stopped = true;
            w.healthFailures = Math.max(w.healthFailures + 1, MISSES_BEFORE_DOWN);
            if (w.live) {
                w.live = false;
                LOG.warn("⚠️  {} is stopped (pid {}); killing it and moving its partitions to live workers",
                        Console.red("worker " + w.url()), w.pid());
            }
            return;
        }
        if (r.silent() && sample.progressedSince(before) && now - w.lastHealthyMillis < config.failoverTimeout().toMillis()) {
            if (w.healthFailures == 0) {
                LOG.info("worker {} is slow to answer but busy (its CPU time grows): not a missed check", w.url());
            }
            return; // slow, not dead: moving its partitions would cost more than waiting
        }
        w.healthFailures++;
        if (w.live && w.healthFailures >= MISSES_BEFORE_DOWN) {
            w.live = false;
            LOG.warn("⚠️  {} missed {} health checks ({}); moving its partitions to live workers",
                    Console.red("worker " + w.url()), w.healthFailures, r.failure());
        }
    }

    /** Reads a local worker's process state (remote workers and gaps between spawns have none). */
    private ProcessProbe.Sample sample(WorkerHandle w) {
        Process p = w.process;
        ProcessProbe.Sample s = p == null ? ProcessProbe.Sample.UNKNOWN : probe.sample(p);
        w.lastSample = s;
        return s;
    }

    private void updateRouting() {
        if (starting) {
            boolean allLive = workers.values().stream().allMatch(w -> w.live || w.leaving());
            if (!allLive && clock.getAsLong() - startedAtMillis < STARTUP_GRACE_MS) {
                return; // requests for a partition of a worker still starting wait for it
            }
            starting = false;
        }
        List<WorkerHandle> candidates = new ArrayList<>();
        for (WorkerHandle w : workers.values()) {
            if (w.live && w.lifecycle() == Lifecycle.RUNNING) {
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
            List<String> urls = new ArrayList<>();
            candidates.forEach(w -> urls.add(w.url()));
            LOG.info("partition table changed: {} of {} partitions move; owners now {}", moved, partitions, urls);
        }
    }

    /** Sends each live worker its next assignment; true when every live worker already has its own. */
    private boolean pushAssignments() {
        Routing table = routing.get();
        List<AssignmentPlanner.Worker> views = new ArrayList<>();
        boolean leaving = false;
        for (WorkerHandle w : workers.values()) {
            // A retiring worker keeps what the table still gives it: the table drops it only once other live
            // workers can take its partitions, so it never releases them before someone can serve them.
            views.add(new AssignmentPlanner.Worker(w.url(), w.live, table.partitionsOf(w), w.owned, w.pushing));
            leaving |= w.leaving() || w.lifecycle() == Lifecycle.RESTARTING;
        }
        AssignmentPlanner.Plan plan = AssignmentPlanner.plan(views);
        plan.pushes().forEach((url, target) -> push(workers.get(url), target));
        return plan.settled() && !leaving;
    }

    private void push(WorkerHandle w, Set<Integer> target) {
        w.pushing = target;
        api.assign(w, target).onComplete(ar -> thread.execute(() -> {
            if (w.pushing != target) {
                return; // superseded, or the process died meanwhile
            }
            w.pushing = null;
            if (ar.succeeded() && ar.result().status() == 200) {
                Set<Integer> owned = HealthChecks.partitions(ar.result());
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

    /** Stops removed workers once their partitions have moved away (or once they no longer answer). */
    private void retire() {
        for (WorkerHandle w : new ArrayList<>(workers.values())) {
            if (w.lifecycle() != Lifecycle.RETIRING) {
                continue;
            }
            boolean released = w.owned.isEmpty() && w.pushing == null;
            if (w.live && !released) {
                continue;
            }
            LOG.info("🛑 stopping removed worker {} (graceful /kill)", w.url());
            api.kill(w);
            Process p = w.process;
            w.live = false;
            if (p == null) {
                w.move(Lifecycle.GONE); // a remote worker: nothing more to wait for
                forget(w);
            } else {
                w.move(Lifecycle.STOPPING);
                processes.killAfterGrace(w, p);
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
        thread.shutdownNow();
        WorkerProcesses.stopAll(view);
    }
}
