package countapp.config;

import countapp.model.Limits;
import countapp.model.Retention;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The validated, immutable configuration. A reload builds a new one and swaps it whole, keeping the values
 * in force of the keys read only at start (see {@link Pins}); paths are already resolved against the config
 * file's folder.
 *
 * @param workers the workers, in the order configured
 * @param database the embedded database folder, or null when the data lives in Redis
 * @param redis the Redis settings, or null for the embedded database
 * @param workerLogs folder of the per-worker log files
 * @param workerPersist how long an acknowledged item may sit only in the OS page cache (0 = fsync first)
 * @param configCheck how often the file is re-read
 * @param listen where the coordinator's API listens (null in a worker spawned by a coordinator, which checks
 *     it): loopback unless the file names another address
 * @param allowOpen whether the API may listen on a non-loopback address with auth off ({@code allow_open})
 * @param healthCheck how often workers are health-checked
 * @param failoverTimeout how long the coordinator retries a request while its partitions' owner is down or
 *     moving, before answering 503
 * @param partitions the partition count for a new database (an existing one keeps its own)
 * @param workerBind the address spawned workers listen on
 * @param clusterSecret the secret for worker control endpoints, or null to generate one at start
 * @param limits request limits of the coordinator and the workers
 * @param auth API keys, or {@link Auth#OFF}
 * @param windows which day and month windows keep counts ({@link Retention#NONE}: all time only)
 * @param source the file this was read from
 */
public record Config(
        List<WorkerEndpoint> workers,
        Path database,
        RedisConfig redis,
        Path workerLogs,
        Duration workerPersist,
        Duration configCheck,
        Listen listen,
        boolean allowOpen,
        Duration healthCheck,
        Duration failoverTimeout,
        int partitions,
        String workerBind,
        ClusterSecret clusterSecret,
        Limits limits,
        Auth auth,
        Retention windows,
        Path source) {

    public Config {
        workers = List.copyOf(workers);
        if ((database == null) == (redis == null)) {
            throw new IllegalArgumentException("exactly one of database folder and redis must be set");
        }
    }

    /** Whether the API answers without a key: auth is off. */
    public boolean apiOpen() {
        return !auth.enabled();
    }

    /** The database for logs: the folder, or the Redis URL (without its password). */
    public String databaseName() {
        return redis != null ? redis.toString() : database.toString();
    }
}
