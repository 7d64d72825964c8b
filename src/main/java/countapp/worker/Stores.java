package countapp.worker;

import countapp.config.Config;
import countapp.store.DatabaseMeta;
import countapp.store.Store;
import countapp.store.StoreListener;
import countapp.store.log.LogStore;
import countapp.store.log.WriteLoop;
import countapp.store.redis.RedisStore;

/** Opens the backend the config names, so the rest of the worker never branches on it. */
final class Stores {
    private Stores() {}

    /**
     * Opens the configured store, creating the database (and fixing its partition count) on first use; the
     * embedded store reports its sizes and fsyncs to {@code listener} and runs its writes on {@code loop}
     * (the worker's event loop). A folder in the earlier format 1 is refused with the command that converts it
     * (see {@link DatabaseMeta#load}).
     */
    static Store open(Config config, StoreListener listener, WriteLoop loop) {
        if (config.redis() != null) {
            return RedisStore.connect(config.redis(), config.partitions(), config.windows(), java.time.Clock.systemUTC(),
                    listener, loop instanceof EventLoopWriter w ? w.nettyLoop() : null);
        }
        DatabaseMeta meta = DatabaseMeta.loadOrCreate(config.database(), config.partitions());
        return LogStore.builder(config.database(), meta.partitions(), meta.hashKey0(), meta.hashKey1())
                .persistInterval(config.workerPersist()).listener(listener).loop(loop)
                .windows(config.windows(), java.time.Clock.systemUTC()).build();
    }
}
