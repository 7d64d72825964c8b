package countapp.coordinator;

import countapp.config.WorkerEndpoint;
import countapp.metrics.ClusterMetrics;
import java.util.Set;

/**
 * The coordinator's view of one configured worker.
 *
 * <p>Confinement: every field is written only by the supervisor thread. Request threads read only the
 * volatile {@link #live} flag and the final {@link #endpoint}; the status page reads the volatile fields.
 */
final class WorkerHandle {
    final WorkerEndpoint endpoint;
    /** The spawned process, or null for a remote worker or between spawns. */
    volatile Process process;
    /** Answering health checks: requests may be routed to it. */
    volatile boolean live;
    /** Partitions the worker last confirmed it owns (empty once its process is gone). */
    volatile Set<Integer> owned = Set.of();
    /** Its partitions that refuse writes (a full disk), with why, from its last health answer. */
    volatile java.util.Map<String, String> writeBlocked = java.util.Map.of();
    /** Removed from the config: its partitions move away, then it is stopped. */
    volatile boolean retiring;
    volatile long lastHealthyMillis;
    volatile long spawnedAtMillis;
    /** The last health check, successful or not, and why it failed; for the status page. */
    volatile long lastCheckMillis;
    volatile boolean lastCheckOk;
    volatile String lastError;
    /** The pid and start time the worker reported in its last health answer (remote workers too). */
    volatile long reportedPid = -1;
    volatile long startedAtMillis;
    /** Its meters; set once by the supervisor before the handle is shared. */
    ClusterMetrics.WorkerMeters meters;
    /** The assignment on its way to the worker, or null. */
    Set<Integer> pushing;
    boolean killSent;
    int healthFailures;
    int spawnFailures;
    boolean respawnScheduled;

    WorkerHandle(WorkerEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    String url() {
        return endpoint.url();
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
