package countapp.worker;

import countapp.model.ItemBatch;
import countapp.store.IdChunk;
import countapp.store.Partition;
import countapp.store.PartitionClosedException;
import countapp.store.Store;
import countapp.store.StoreException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * A deterministic in-memory {@link Store} for the worker's unit tests: partitions are sets of pairs that
 * answer at once, every call is recorded, a partition can be made to refuse opening, and a tenant erasure
 * can be held until the test lets it finish (a long erasure, without a store big enough to be slow).
 */
final class MemoryStore implements Store {
    final int partitions;
    /** Partitions opened so far, in order (a reopen appears twice). */
    final List<Integer> opened = new CopyOnWriteArrayList<>();
    final List<Integer> closed = new CopyOnWriteArrayList<>();
    final Set<Integer> refuse = ConcurrentHashMap.newKeySet();
    final AtomicInteger tenantErasures = new AtomicInteger();
    /** While set, a tenant erasure completes only when this future does. */
    volatile CompletableFuture<Void> eraseGate = CompletableFuture.completedFuture(null);
    final Map<Integer, MemoryPartition> open = new ConcurrentHashMap<>();

    MemoryStore(int partitions) {
        this.partitions = partitions;
    }

    @Override
    public Partition open(int partition, Duration timeout, BooleanSupplier stillWanted) {
        if (refuse.contains(partition)) {
            throw new StoreException("partition " + partition + " cannot be opened (refused by the test)");
        }
        opened.add(partition);
        MemoryPartition p = new MemoryPartition(partition);
        open.put(partition, p);
        return p;
    }

    @Override
    public int partitions() {
        return partitions;
    }

    @Override
    public void setPersistInterval(Duration interval) {}

    @Override
    public void close() {}

    /** One partition's pairs; thread-safe by one lock, every answer completed before it returns. */
    final class MemoryPartition implements Partition {
        private final int id;
        private final Set<String> pairs = new HashSet<>();
        /** Each add call, as the items it was given: "tenant/id". */
        final List<List<String>> adds = new CopyOnWriteArrayList<>();
        private boolean isClosed;

        MemoryPartition(int id) {
            this.id = id;
        }

        @Override
        public int id() {
            return id;
        }

        @Override
        public synchronized CompletableFuture<Long> add(ItemBatch batch, int[] indices, int count) {
            if (isClosed) {
                return CompletableFuture.failedFuture(new PartitionClosedException(id));
            }
            List<String> items = new ArrayList<>();
            long added = 0;
            for (int k = 0; k < count; k++) {
                String pair = batch.tenant(indices[k]) + "/" + batch.id(indices[k]);
                items.add(pair);
                added += pairs.add(pair) ? 1 : 0;
            }
            adds.add(items);
            return CompletableFuture.completedFuture(added);
        }

        @Override
        public synchronized CompletableFuture<Long> count(String tenant) {
            return CompletableFuture.completedFuture(pairs.stream().filter(p -> p.startsWith(tenant + "/")).count());
        }

        @Override
        public synchronized CompletableFuture<Long> erase(String tenant, String id) {
            return CompletableFuture.completedFuture(pairs.remove(tenant + "/" + id) ? 1L : 0L);
        }

        @Override
        public CompletableFuture<Long> eraseTenant(String tenant) {
            tenantErasures.incrementAndGet();
            return eraseGate.thenApply(v -> {
                synchronized (this) {
                    long before = pairs.size();
                    pairs.removeIf(p -> p.startsWith(tenant + "/"));
                    return before - pairs.size();
                }
            });
        }

        @Override
        public CompletableFuture<IdChunk> ids(String tenant, String cursor, int max) {
            return CompletableFuture.failedFuture(new UnsupportedOperationException("not used by these tests"));
        }

        @Override
        public synchronized CompletableFuture<Void> close() {
            isClosed = true;
            closed.add(id);
            return CompletableFuture.completedFuture(null);
        }
    }
}
