package countapp.worker;

import countapp.store.Partition;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The tenant erasures of this worker, by partition and tenant. A tenant erasure is long (it reads the
 * tenant's ids and erases them in chunks), and the coordinator re-sends one whose channel broke; a
 * re-send joins the erasure that runs instead of starting a second pass over the same partition, and a
 * re-send with the same token that arrives within {@link #KEEP_NANOS} after the end gets the recorded
 * result (the first answer was lost) instead of erasing again and answering 0. A failed erasure is
 * never replayed: the next request starts afresh.
 *
 * <p>Threads: {@link #start} runs on any thread. Each key changes only inside
 * {@link ConcurrentHashMap#compute}, so two re-sends arriving together never both start an erasure.
 */
final class TenantErasures {
    /** How long a finished erasure's result answers a re-send with its token. */
    static final long KEEP_NANOS = 60_000_000_000L;

    private record Key(int partition, String tenant) {}

    /** One erasure: its result, and how far it got (from the tenant's count going down). */
    static final class Erasure {
        private final Partition partition;
        private final String tenant;
        private final long token;
        private final CompletableFuture<Long> result;
        /** The tenant's count when the erasure began; -1 until known. Written by the partition's thread. */
        private volatile long before = -1;
        private volatile long erasedSoFar;
        /** When the result came, by the registry's clock; written once by the completing thread. */
        private volatile long endedNanos;

        private Erasure(Partition partition, String tenant, long token, LongSupplier nanoTime) {
            this.partition = partition;
            this.tenant = tenant;
            this.token = token;
            partition.count(tenant).thenAccept(n -> before = n);
            this.result = partition.eraseTenant(tenant);
            result.whenComplete((n, e) -> {
                if (n != null) {
                    erasedSoFar = n;
                }
                endedNanos = nanoTime.getAsLong();
            });
        }

        CompletableFuture<Long> result() {
            return result;
        }

        /** Pairs erased so far as last seen; asks the partition again for the next call. */
        long erasedSoFar() {
            if (!result.isDone() && before >= 0) {
                partition.count(tenant).thenAccept(now -> {
                    if (!result.isDone()) {
                        erasedSoFar = Math.max(erasedSoFar, before - now);
                    }
                });
            }
            return erasedSoFar;
        }
    }

    private final ConcurrentHashMap<Key, Erasure> erasures = new ConcurrentHashMap<>();
    private final LongSupplier nanoTime;

    TenantErasures(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /**
     * Erases {@code tenant} on {@code partition}, or joins the erasure of it that runs there already, or
     * (same non-zero {@code token}, ended within {@link #KEEP_NANOS}) returns the one that ended.
     */
    Erasure start(Partition partition, String tenant, long token) {
        long now = nanoTime.getAsLong();
        erasures.values().removeIf(e -> e.result.isDone() && now - e.endedNanos > KEEP_NANOS);
        return erasures.compute(new Key(partition.id(), tenant), (key, known) -> {
            if (known != null && known.partition == partition
                    && (!known.result.isDone() || (token != 0 && known.token == token
                            && !known.result.isCompletedExceptionally()))) {
                return known;
            }
            return new Erasure(partition, tenant, token, nanoTime);
        });
    }

    /** Erasures that have not ended. */
    int running() {
        int n = 0;
        for (Erasure e : erasures.values()) {
            n += e.result.isDone() ? 0 : 1;
        }
        return n;
    }
}
