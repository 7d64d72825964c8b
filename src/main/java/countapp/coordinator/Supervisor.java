package countapp.coordinator;

import countapp.config.Config;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spawns, watches and reconciles the workers.
 *
 * <p>Design: one thread ({@code supervisor}) owns every worker's state; process exits and timers only
 * enqueue work onto it, so no locks are needed. Each round it health-checks every worker and, where a
 * worker does not own exactly the partitions the routing table gives it (a fresh spawn, a restarted remote
 * worker), pushes the assignment. A worker is routed to only once that succeeded ({@code ready}). A local
 * worker that exits is respawned with exponential backoff.
 */
final class Supervisor {
    private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);
    private static final Duration STARTUP_POLL = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);

    private final Config config;
    private final WorkerClient client;
    private final WorkerLauncher launcher = new WorkerLauncher();
    private final Map<String, WorkerHandle> workers = new LinkedHashMap<>();
    private final AtomicReference<Routing> routing = new AtomicReference<>();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "supervisor");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean stopping;

    Supervisor(Config config, int partitions, WorkerClient client) {
        this.config = config;
        this.client = client;
        config.workers().forEach(e -> workers.put(e.url(), new WorkerHandle(e)));
        routing.set(Routing.of(partitions, workers.values()));
    }

    Routing routing() {
        return routing.get();
    }

    Collection<WorkerHandle> workers() {
        return workers.values();
    }

    /** Spawns the local workers and starts reconciling; returns at once. */
    void start() {
        thread.execute(() -> {
            for (WorkerHandle w : workers.values()) {
                if (w.endpoint.local()) {
                    spawn(w);
                } else {
                    LOG.info("remote worker {}: health-checked and routed to, not spawned", w.url());
                }
            }
            reconcileRound();
        });
    }

    private void spawn(WorkerHandle w) {
        w.respawnScheduled = false;
        if (stopping) {
            return;
        }
        try {
            Process p = launcher.launch(w.endpoint, config);
            w.process = p;
            w.ready = false;
            LOG.info("spawned worker {} (pid {}), log {}", w.url(), p.pid(), WorkerLauncher.logFile(w.endpoint, config));
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
        w.ready = false;
        w.process = null;
        if (stopping) {
            LOG.info("worker {} (pid {}) stopped with exit code {}", w.url(), exited.pid(), exited.exitValue());
            return;
        }
        LOG.warn("worker {} (pid {}) exited with code {} (see {})", w.url(), exited.pid(), exited.exitValue(),
                WorkerLauncher.logFile(w.endpoint, config));
        scheduleRespawn(w);
    }

    private void scheduleRespawn(WorkerHandle w) {
        if (stopping || w.respawnScheduled) {
            return;
        }
        long delayMs = Math.min(MAX_BACKOFF.toMillis(), 250L << Math.min(w.spawnFailures, 10));
        w.spawnFailures++;
        w.respawnScheduled = true;
        LOG.info("respawning worker {} in {} ms", w.url(), delayMs);
        thread.schedule(() -> spawn(w), delayMs, TimeUnit.MILLISECONDS);
    }

    /** One health-and-assignment pass over every worker, then the next one is scheduled. */
    private void reconcileRound() {
        if (stopping) {
            return;
        }
        Routing table = routing.get();
        for (WorkerHandle w : workers.values()) {
            try {
                reconcile(w, table);
            } catch (RuntimeException e) {
                LOG.warn("reconciling worker {} failed: {}", w.url(), e.toString());
            }
        }
        boolean allReady = workers.values().stream().allMatch(w -> w.ready);
        Duration next = allReady ? config.healthCheck() : min(STARTUP_POLL, config.healthCheck());
        thread.schedule(this::reconcileRound, next.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void reconcile(WorkerHandle w, Routing table) {
        if (w.endpoint.local() && w.process == null) {
            return; // waiting for a respawn
        }
        WorkerClient.Reply health;
        try {
            health = client.health(w).toCompletionStage().toCompletableFuture().get(3, TimeUnit.SECONDS);
        } catch (Exception e) {
            healthFailed(w, e.getCause() == null ? e.toString() : e.getCause().getMessage());
            return;
        }
        if (health.status() != 200) {
            healthFailed(w, "status " + health.status());
            return;
        }
        w.consecutiveFailures = 0;
        w.lastHealthyNanos = System.nanoTime();
        Set<Integer> wanted = table.partitionsOf(w);
        Set<Integer> owned = ownedPartitions(health);
        if (!owned.equals(wanted)) {
            w.ready = false;
            try {
                WorkerClient.Reply reply = client.assign(w, wanted).toCompletionStage().toCompletableFuture()
                        .get(60, TimeUnit.SECONDS);
                if (reply.status() != 200) {
                    LOG.warn("worker {} refused partitions {}: {}", w.url(), wanted, reply.text());
                    return;
                }
            } catch (Exception e) {
                LOG.warn("assigning partitions to worker {} failed: {}", w.url(), e.toString());
                return;
            }
            LOG.info("worker {} owns partitions {}", w.url(), wanted);
        }
        w.assigned = wanted;
        if (!w.ready) {
            w.ready = true;
            w.spawnFailures = 0;
            LOG.info("worker {} is ready", w.url());
        }
    }

    private void healthFailed(WorkerHandle w, String why) {
        w.consecutiveFailures++;
        if (w.ready && w.consecutiveFailures >= 2) {
            w.ready = false;
            LOG.warn("worker {} failed {} health checks ({}); not routing to it", w.url(), w.consecutiveFailures, why);
        }
    }

    private static Set<Integer> ownedPartitions(WorkerClient.Reply health) {
        String text = health.text();
        int start = text.indexOf("\"partitions\":[");
        Set<Integer> set = new TreeSet<>();
        if (start < 0) {
            return set;
        }
        int from = start + "\"partitions\":[".length();
        String list = text.substring(from, text.indexOf(']', from));
        for (String part : list.split(",")) {
            if (!part.isBlank()) {
                set.add(Integer.parseInt(part.trim()));
            }
        }
        return set;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** Stops every spawned worker: SIGTERM (a graceful drain), then SIGKILL after a grace period. */
    void stop() {
        stopping = true;
        List<Process> processes = new ArrayList<>();
        try {
            thread.submit(() -> workers.values().forEach(w -> {
                if (w.process != null) {
                    processes.add(w.process);
                }
            })).get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("supervisor did not answer; stopping the workers it knows of", e);
        }
        thread.shutdownNow();
        for (Process p : processes) {
            p.destroy();
        }
        long deadline = System.nanoTime() + STOP_GRACE.toNanos();
        for (Process p : processes) {
            try {
                long left = Math.max(0, deadline - System.nanoTime());
                if (!p.waitFor(left, TimeUnit.NANOSECONDS)) {
                    LOG.warn("worker pid {} did not stop within {} s; killing it", p.pid(), STOP_GRACE.toSeconds());
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
    }
}
