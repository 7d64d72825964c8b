package countapp.coordinator;

import io.vertx.core.Future;
import java.util.Set;

/** The supervisor's calls to a worker: health checks, assignments, stops. {@link WorkerClient} makes them over HTTP. */
interface WorkerApi {
    /** A worker's answer: status and body. */
    record Reply(int status, byte[] body) {
        String text() {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    Future<Reply> health(WorkerHandle w, long timeoutMs);

    Future<Reply> assign(WorkerHandle w, Set<Integer> partitions);

    /** Asks a worker to stop gracefully; the answer does not matter (it may be gone already). */
    void kill(WorkerHandle w);
}
