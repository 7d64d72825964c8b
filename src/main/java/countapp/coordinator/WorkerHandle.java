package countapp.coordinator;

import countapp.config.WorkerEndpoint;
import java.util.Set;

/**
 * The coordinator's view of one configured worker.
 *
 * <p>Guarded by confinement: every field is written only by the supervisor thread; request threads read
 * {@link #ready} and {@link #endpoint} (volatile / final) to route.
 */
final class WorkerHandle {
    final WorkerEndpoint endpoint;
    /** The spawned process, or null for a remote worker or between spawns. */
    volatile Process process;
    /** True once the worker answers health checks and owns exactly its assigned partitions. */
    volatile boolean ready;
    volatile Set<Integer> assigned = Set.of();
    volatile long lastHealthyNanos;
    int consecutiveFailures;
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
