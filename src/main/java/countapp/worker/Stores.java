package countapp.worker;

import countapp.config.Config;
import countapp.store.DatabaseMeta;
import countapp.store.RocksStore;
import countapp.store.Store;
import countapp.store.StoreListener;
import countapp.store.StoreOptions;
import countapp.store.log.LogStore;
import countapp.store.log.WriteLoop;
import countapp.store.redis.RedisStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opens the backend the config names, so the rest of the worker never branches on it. */
final class Stores {
    private static final Logger LOG = LoggerFactory.getLogger(Stores.class);

    private Stores() {}

    /**
     * Opens the configured store, creating the database (and fixing its partition count) on first use; the
     * embedded store reports its sizes and fsyncs to {@code listener} and runs its writes on {@code loop}
     * (the worker's event loop).
     */
    static Store open(Config config, StoreListener listener, WriteLoop loop) {
        if (config.redis() != null) {
            return RedisStore.connect(config.redis(), config.partitions(), config.windows(), java.time.Clock.systemUTC(),
                    listener, loop instanceof EventLoopWriter w ? w.nettyLoop() : null);
        }
        DatabaseMeta meta = DatabaseMeta.loadOrCreate(config.database(), config.partitions());
        if (meta.format() == DatabaseMeta.ROCKSDB_FORMAT) {
            if (config.windows().enabled()) {
                throw new countapp.store.StoreException("windows need a database created by this version (the log "
                        + "store); " + config.database() + " is in the earlier RocksDB format, which keeps all-time counts "
                        + "only: remove the windows setting, or start with a new database folder");
            }
            LOG.info("database {} was created by an earlier version: keeping its RocksDB format", config.database());
            return new RocksStore(config.database(), meta.partitions(), StoreOptions.defaults(config.workerPersist()),
                    listener);
        }
        return new LogStore(config.database(), meta.partitions(), meta.hashKey0(), meta.hashKey1(),
                config.workerPersist(), listener, loop, config.windows(), java.time.Clock.systemUTC());
    }
}
