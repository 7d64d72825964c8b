package countapp.store.log;

import countapp.codec.ByteSink;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A partition's erasures, of one pair or of a whole tenant: out of the index, one ERASE frame in the log
 * (durable like an add), then out of the windows.
 *
 * <p>Threads: the erasing itself runs on the partition's {@link WriteLoop} (through
 * {@link LogPartition#onWriter}), the only thread that touches the index, the windows and the scratch
 * sinks here; a tenant erasure finds its ids with an {@link IdScan} on the store's scan executor.
 */
final class Erasures {
    private static final Logger LOG = LoggerFactory.getLogger(Erasures.class);

    private final LogPartition partition;
    private final LogStore store;
    private final SegmentedLog log;
    private final PairIndex index;
    private final Map<String, Tenant> tenants;
    /** The day and month windows, or null when the windows setting is off. Writer only. */
    private final @Nullable Windows windows;
    private final PairKeys keys;
    private final GroupWriter writer;
    /** Scratch space for an erasure's frame; writer only, reused. */
    private final ByteSink head = new ByteSink(256);
    private final ByteSink records = new ByteSink(256);
    /** Whether a pair was ever erased here: id listings then check each id against the index. */
    private volatile boolean erasedAny;
    /** Ids per chunk of a tenant erasure; tests make it small to get many chunks. */
    volatile int chunkSize = 10_000;
    /** Runs between two chunks of a tenant erasure; the next chunk waits for it. Tests interleave work there. */
    volatile Supplier<CompletableFuture<?>> betweenChunks = () -> CompletableFuture.completedFuture(null);

    Erasures(LogPartition partition, LogStore store, SegmentedLog log, PairIndex index,
            Map<String, Tenant> tenants, @Nullable Windows windows, PairKeys keys, GroupWriter writer,
            boolean erasedAny) {
        this.partition = partition;
        this.store = store;
        this.log = log;
        this.index = index;
        this.tenants = tenants;
        this.windows = windows;
        this.keys = keys;
        this.writer = writer;
        this.erasedAny = erasedAny;
    }

    boolean erasedAny() {
        return erasedAny;
    }

    /** Erases one pair on the writer; completes with 1 when it was stored, else 0. */
    CompletableFuture<Long> erase(String tenant, String pairId) {
        return partition.onWriter(() -> eraseNow(tenant, new String[] {pairId}, 1));
    }

    /**
     * Erases the tenant's pairs a chunk at a time: the ids come from a scan of the log up to its end at the
     * call (so every pair acknowledged before it is found), each chunk erased on the writer as one frame.
     * Ids already erased are skipped; an add that lands meanwhile is either erased or kept, and the count
     * follows the index either way.
     */
    CompletableFuture<Long> eraseTenant(String tenant) {
        LogPosition end = log.end();
        SegmentPins.Pin pin = log.pin(IdScan.Cursor.START.segment()); // held until the last chunk (see Compactor)
        return eraseChunks(tenant, IdScan.Cursor.START, end, 0L, pin).whenComplete((n, e) -> pin.release());
    }

    private CompletableFuture<Long> eraseChunks(String tenant, IdScan.Cursor cursor, LogPosition end,
            long erasedSoFar, SegmentPins.Pin pin) {
        pin.moveTo(cursor.segment());
        return CompletableFuture.supplyAsync(() -> IdScan.scan(log, tenant, cursor, end, chunkSize), store.scanExecutor())
                .thenCompose(chunk -> partition.onWriter(
                                () -> eraseNow(tenant, chunk.ids().toArray(String[]::new), chunk.ids().size()))
                        .thenCompose(erased -> {
                            if (chunk.next() == null) {
                                return CompletableFuture.completedFuture(erasedSoFar + erased);
                            }
                            return betweenChunks.get().thenCompose(
                                    v -> eraseChunks(tenant, IdScan.Cursor.parse(chunk.next()), end,
                                            erasedSoFar + erased, pin));
                        }));
    }

    /**
     * Erases pairs of one tenant on the writer: out of the index, one ERASE frame in the log (durable like an
     * add), then out of the windows. Returns how many were stored. A failed write puts them back and throws.
     */
    @SuppressWarnings("NonAtomicVolatileUpdate") // counts have one writer, this loop
    private long eraseNow(String tenant, String[] ids, int n) {
        Tenant t = tenants.get(tenant);
        if (t == null || n == 0) {
            return 0;
        }
        long[] erased = new long[2 * n];
        records.reset();
        int count = 0;
        for (int k = 0; k < n; k++) {
            int idLength = keys.hash(t, ids[k]);
            if (index.remove(keys.low(), keys.high())) {
                erased[2 * count] = keys.low();
                erased[2 * count + 1] = keys.high();
                count++;
                keys.putRecord(records, 0, t, idLength);
            }
        }
        if (count == 0) {
            return 0;
        }
        try {
            Compactor.markNeeded(store.logDir(partition.id())); // the erased ids' bytes must leave the old segments later
            Frames.writePairs(head, Frames.ERASE, List.of(t.prefix), count, records);
            writer.appendFrame(head);
        } catch (IOException e) {
            for (int k = 0; k < count; k++) {
                index.add(erased[2 * k], erased[2 * k + 1]);
            }
            throw store.blocked(partition.id(), e);
        } finally {
            records.reset();
        }
        erasedAny = true;
        t.count -= count;
        if (windows != null) {
            for (int k = 0; k < count; k++) {
                windows.erase(tenant, erased[2 * k], erased[2 * k + 1]);
            }
            try {
                windows.write();
                writer.syncWindowsIfEveryWrite(windows);
            } catch (IOException e) {
                // Erased all-time already; a replay drops window records of pairs all time no longer holds.
                LOG.warn("partition {}: writing an erasure to the window logs failed (a restart still drops the "
                        + "pairs from every window): {}", partition.id(), e.toString());
            }
            windows.committed();
        }
        return count;
    }
}
