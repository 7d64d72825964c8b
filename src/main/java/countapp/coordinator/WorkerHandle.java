package countapp.coordinator;

import countapp.config.WorkerEndpoint;
import countapp.metrics.ClusterMetrics;
import java.util.Map;
import java.util.Set;

/**
 * The coordinator's view of one configured worker: where it is in its {@link Lifecycle}, whether it
 * answers health checks, and what it owns.
 *
 * <p>Confinement: every field is written only by the supervisor thread. Request threads read only the
 * volatile {@link #live} flag and the final {@link #endpoint}; the status page reads the volatile fields.
 */
final class WorkerHandle {
    final WorkerEndpoint endpoint;
    /** Its meters; set once by the supervisor before the handle is shared. */
    ClusterMetrics.WorkerMeters meters;

    private volatile Lifecycle lifecycle = Lifecycle.STARTING;
    /** The spawned process, or null for a remote worker or between spawns. */
    volatile Process process;
    /** Answering health checks: requests may be routed to it. */
    volatile boolean live;
    /** Partitions the worker last confirmed it owns (empty once its process is gone). */
    volatile Set<Integer> owned = Set.of();
    /** The assignment on its way to the worker, or null. */
    Set<Integer> pushing;
    /** Its partitions that refuse writes (a full disk), with why, from its last health answer. */
    volatile Map<String, String> writeBlocked = Map.of();

    /** Health: misses in a row, and when it last answered. */
    int healthFailures;
    /** Its process as last read (CPU time, stopped), to tell a slow worker from a stalled one. */
    ProcessProbe.Sample lastSample = ProcessProbe.Sample.UNKNOWN;
    /** The kernel showed its process stopped while it did not answer: it is killed before its partitions move. */
    boolean stopped;
    volatile long lastHealthyMillis;
    /** The last health check, successful or not, and why it failed; for the status page. */
    volatile long lastCheckMillis;
    volatile boolean lastCheckOk;
    volatile String lastError;
    /** The pid and start time the worker reported in its last health answer (remote workers too). */
    volatile long reportedPid = -1;
    volatile long startedAtMillis;

    /** Process: when it was last spawned, and failed spawns in a row (the respawn backoff). */
    volatile long spawnedAtMillis;
    int spawnFailures;

    WorkerHandle(WorkerEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    String url() {
        return endpoint.url();
    }

    Lifecycle lifecycle() {
        return lifecycle;
    }

    /** Moves to {@code next}; an illegal transition is a bug and throws. */
    void move(Lifecycle next) {
        if (!lifecycle.canMoveTo(next)) {
            throw new IllegalStateException("worker " + url() + ": illegal transition " + lifecycle + " -> " + next);
        }
        lifecycle = next;
    }

    /** Removed from the config and on its way out. */
    boolean leaving() {
        return lifecycle.leaving();
    }

    long pid() {
        Process p = process;
        return p == null ? -1 : p.pid();
    }

    /** The spawned process's pid, else the pid the worker reported, else -1. */
    long knownPid() {
        long pid = pid();
        return pid >= 0 ? pid : reportedPid;
    }

    /** Spawned and not yet heard from since: its JVM is starting. */
    boolean starting() {
        return process != null && !live && lastHealthyMillis < spawnedAtMillis;
    }
}
