package countapp.coordinator;

import countapp.config.Config;
import countapp.store.DatabaseMeta;
import countapp.store.redis.RedisStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database's partition count, which routing needs before any worker runs. The database records it when
 * it is created; the config's {@code partitions} only chooses it for a new database.
 */
final class PartitionCount {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionCount.class);

    private PartitionCount() {}

    /** Reads the count, creating the database if there is none yet. */
    static int of(Config config) {
        if (config.redis() != null) {
            try (RedisStore store = RedisStore.connect(config.redis(), config.partitions())) {
                return store.partitions();
            }
        }
        DatabaseMeta meta = DatabaseMeta.loadOrCreate(config.database(), config.partitions());
        if (meta.partitions() != config.partitions()) {
            LOG.warn("database {} was created with {} partitions; the config's partitions: {} applies only to new "
                    + "databases", config.database(), meta.partitions(), config.partitions());
        }
        return meta.partitions();
    }
}
