package countapp.coordinator;

import countapp.config.Config;
import countapp.ops.Console;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The processes of the spawned workers: starting them, respawning with backoff, killing a stalled one,
 * and stopping them all. Runs on the supervisor thread, which it reports exits to.
 */
final class WorkerProcesses {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerProcesses.class);
    static final long MAX_BACKOFF_MS = 10_000;
    static final Duration STOP_GRACE = Duration.ofSeconds(15);

    private final Launcher launcher;
    private final ScheduledExecutorService thread;
    private final LongSupplier clock;
    /** Told (on the supervisor thread) when a process it started exits. */
    private final BiConsumer<WorkerHandle, Process> onExit;

    WorkerProcesses(Launcher launcher, ScheduledExecutorService thread, LongSupplier clock,
            BiConsumer<WorkerHandle, Process> onExit) {
        this.launcher = launcher;
        this.thread = thread;
        this.clock = clock;
        this.onExit = onExit;
    }

    /** Starts the worker's process; false when it could not be started (a respawn should follow). */
    boolean spawn(WorkerHandle w, Config config) {
        try {
            Process p = launcher.launch(w.endpoint, config);
            w.process = p;
            w.live = false;
            w.healthFailures = 0;
            w.stopped = false;
            w.lastSample = ProcessProbe.Sample.UNKNOWN;
            w.spawnedAtMillis = clock.getAsLong();
            w.meters.spawned();
            LOG.info("🔮 spawned worker {} (pid {}), log {}", Console.bold(w.url()), p.pid(),
                    WorkerLauncher.logFile(w.endpoint, config));
            p.onExit().thenAccept(exited -> thread.execute(() -> onExit.accept(w, exited)));
            return true;
        } catch (Exception e) {
            LOG.error("cannot spawn worker {}: {}", w.url(), e.toString());
            return false;
        }
    }

    /** Runs {@code respawn} after the worker's backoff: 0.25 s, doubling per failure in a row, up to 10 s. */
    void afterBackoff(WorkerHandle w, Runnable respawn) {
        long delayMs = Math.min(MAX_BACKOFF_MS, 250L << Math.min(w.spawnFailures, 10));
        w.spawnFailures++;
        LOG.info("respawning worker {} in {} ms", w.url(), delayMs);
        thread.schedule(respawn, delayMs, TimeUnit.MILLISECONDS);
    }

    /**
     * SIGKILLs the spawned worker when it has not answered for {@code stallLimitMs} (60 s at least right
     * after a spawn: the JVM must start first), so a stalled process cannot hold its partitions' locks
     * forever. Its exit then moves it on like any crash.
     */
    void killIfStalled(WorkerHandle w, long stallLimitMs) {
        Process p = w.process;
        if (p == null || w.live) {
            return;
        }
        long since = Math.max(w.lastHealthyMillis, w.spawnedAtMillis);
        long limit = w.lastHealthyMillis >= w.spawnedAtMillis ? stallLimitMs : Math.max(stallLimitMs, 60_000);
        long silent = clock.getAsLong() - since;
        if (silent > limit) {
            LOG.warn("💀 killing {} (pid {}): unresponsive for {} ms, so its partitions can move",
                    Console.red("worker " + w.url()), p.pid(), silent);
            w.meters.killed();
            p.destroyForcibly();
        }
    }

    /**
     * SIGKILLs a spawned worker found stopped, at once: its partitions move next, and a stopped process that
     * is resumed later must not find them still open (the kill also frees their lock files).
     */
    void fence(WorkerHandle w) {
        Process p = w.process;
        if (p != null && p.isAlive()) {
            LOG.warn("💀 killing {} (pid {}): stopped, so its partitions can move", Console.red("worker " + w.url()), p.pid());
            w.meters.killed();
            p.destroyForcibly();
        }
    }

    /** SIGKILLs a process still running {@link #STOP_GRACE} after its graceful {@code /kill}. */
    void killAfterGrace(WorkerHandle w, Process p) {
        thread.schedule(() -> {
            if (p.isAlive()) {
                LOG.warn("💀 worker {} (pid {}) did not stop; killing it", w.url(), p.pid());
                p.destroyForcibly();
            }
        }, STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops every given process: SIGTERM (a graceful drain), then SIGKILL after the grace period. */
    static void stopAll(List<WorkerHandle> workers) {
        List<Process> processes = new ArrayList<>();
        for (WorkerHandle w : workers) {
            Process p = w.process;
            if (p != null) {
                processes.add(p);
            }
        }
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
