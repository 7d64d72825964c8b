package countapp.coordinator;

import countapp.config.WorkerEndpoint;
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
    /** Removed from the config: its partitions move away, then it is stopped. */
    volatile boolean retiring;
    volatile long lastHealthyMillis;
    volatile long spawnedAtMillis;
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
}
