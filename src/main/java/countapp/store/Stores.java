package countapp.store;

import countapp.config.Config;
import countapp.store.log.LogStore;
import countapp.store.redis.RedisStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Chooses the backend from the config, so neither the worker nor the coordinator branches on it. */
public final class Stores {
    private static final Logger LOG = LoggerFactory.getLogger(Stores.class);

    private Stores() {}

    /** Opens the configured store, creating the database (and fixing its partition count) on first use. */
    public static Store open(Config config) {
        return open(config, StoreListener.NONE);
    }

    /** As {@link #open(Config)}, reporting the embedded store's sizes and fsyncs to {@code listener}. */
    public static Store open(Config config, StoreListener listener) {
        return open(config, listener, null);
    }

    /**
     * As {@link #open(Config, StoreListener)}, running the log store's writes on {@code loop} (the worker's
     * event loop), or on the store's own threads when it is null.
     */
    public static Store open(Config config, StoreListener listener, countapp.store.log.WriteLoop loop) {
        if (config.redis() != null) {
            return RedisStore.connect(config.redis(), config.partitions());
        }
        DatabaseMeta meta = DatabaseMeta.loadOrCreate(config.database(), config.partitions());
        if (meta.format() == DatabaseMeta.ROCKSDB_FORMAT) {
            LOG.info("database {} was created by an earlier version: keeping its RocksDB format", config.database());
            return new RocksStore(config.database(), meta.partitions(), StoreOptions.defaults(config.workerPersist()),
                    listener);
        }
        return loop == null
                ? new LogStore(config.database(), meta.partitions(), meta.hashKey0(), meta.hashKey1(),
                        config.workerPersist(), listener)
                : new LogStore(config.database(), meta.partitions(), meta.hashKey0(), meta.hashKey1(),
                        config.workerPersist(), listener, loop);
    }

    /** The database's partition count, for routing; creates the database if there is none yet. */
    public static int partitions(Config config) {
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
