package countapp.store.log;

import countapp.model.Retention;
import countapp.store.StoreListener;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The settings of a {@link LogStore}, one place for them instead of a constructor per combination. What is
 * not set keeps its default: a persist interval of one second, no listener, the store's own writer threads,
 * no windows, the system clock, 64 MiB segments, a heap guard watching this JVM.
 */
public final class LogStoreBuilder {
    final Path root;
    final int partitions;
    final long hashKey0;
    final long hashKey1;
    Duration persistInterval = Duration.ofSeconds(1);
    StoreListener listener = StoreListener.NONE;
    @Nullable WriteLoop loop;
    Retention windows = Retention.NONE;
    Clock clock = Clock.systemUTC();
    long segmentBytes = LogStore.SEGMENT_BYTES;
    @Nullable HeapGuard heap;

    LogStoreBuilder(Path root, int partitions, long hashKey0, long hashKey1) {
        this.root = root;
        this.partitions = partitions;
        this.hashKey0 = hashKey0;
        this.hashKey1 = hashKey1;
    }

    /** How often the logs are fsynced; zero syncs every write before it is acknowledged. */
    public LogStoreBuilder persistInterval(Duration interval) {
        this.persistInterval = interval;
        return this;
    }

    public LogStoreBuilder listener(StoreListener listener) {
        this.listener = listener;
        return this;
    }

    /** Runs every partition's writes on {@code loop} (a worker's event loop) instead of the store's own threads. */
    public LogStoreBuilder loop(WriteLoop loop) {
        this.loop = loop;
        return this;
    }

    /** Keeps the day and month windows {@code windows} says, by the days of {@code clock}. */
    public LogStoreBuilder windows(Retention windows, Clock clock) {
        this.windows = windows;
        this.clock = clock;
        return this;
    }

    /** Rolls log segments at this size; tests make it small to get many segments. */
    LogStoreBuilder segmentBytes(long bytes) {
        this.segmentBytes = bytes;
        return this;
    }

    /** For tests: the heap is as full as {@code heap} is told. */
    LogStoreBuilder heap(HeapGuard heap) {
        this.heap = heap;
        return this;
    }

    public LogStore build() {
        return new LogStore(this);
    }
}
