package countapp.store.log;

import countapp.store.IdChunk;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * A partition's id listings: pages of a tenant's ids read from the log files by an {@link IdScan} on the
 * store's scan executor, up to the end the log had when the chunk started, each listing holding a
 * {@link SegmentPins.Pin} from one chunk to the next so a compaction cannot rewrite what it still reads.
 *
 * <p>Threads: {@link #ids} runs on the caller's thread; the pins are kept in a concurrent map; the check of
 * the ids against the index (once anything was erased) runs on the partition's {@link WriteLoop}.
 */
final class IdListing {
    private final LogPartition partition;
    private final LogStore store;
    private final SegmentedLog log;
    private final PairIndex index;
    private final Map<String, Tenant> tenants;
    private final PairKeys keys;
    private final Erasures erasures;
    /** The pins of listings between two chunks, by the cursor of their next chunk. */
    private final Map<String, SegmentPins.Pin> listingPins = new ConcurrentHashMap<>();

    IdListing(LogPartition partition, LogStore store, SegmentedLog log, PairIndex index,
            Map<String, Tenant> tenants, PairKeys keys, Erasures erasures) {
        this.partition = partition;
        this.store = store;
        this.log = log;
        this.index = index;
        this.tenants = tenants;
        this.keys = keys;
        this.erasures = erasures;
    }

    /** The chunk of up to {@code max} of the tenant's ids from {@code cursor} (null: from the start). */
    CompletableFuture<IdChunk> ids(String tenant, @Nullable String cursor, int max) {
        IdScan.Cursor from;
        try {
            from = IdScan.Cursor.parse(cursor);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        LogPosition end = log.end();
        SegmentPins.Pin pin = listingPin(cursor, from);
        CompletableFuture<IdChunk> chunk = CompletableFuture.supplyAsync(
                        () -> IdScan.scan(log, tenant, from, end, max), store.scanExecutor())
                .whenComplete((c, e) -> keepPin(pin, c));
        // The log still holds erased ids: once anything was erased, keep only the ids the index holds.
        return erasures.erasedAny() ? chunk.thenCompose(c -> partition.onWriter(() -> stored(tenant, c))) : chunk;
    }

    /**
     * The pin of a listing that resumes at {@code cursor}: the one its previous chunk left (moved to the
     * cursor's segment), or a new one when the listing starts, or its pin's lease ran out or was lost with a
     * restart (the cursor's generation check then catches a rewrite that happened meanwhile).
     */
    private SegmentPins.Pin listingPin(@Nullable String cursor, IdScan.Cursor from) {
        SegmentPins.Pin pin = cursor == null ? null : listingPins.remove(cursor);
        if (pin == null) {
            return log.pin(from.segment());
        }
        pin.moveTo(from.segment());
        return pin;
    }

    /** Keeps a listing's pin for its next chunk, under that chunk's cursor; releases it when the listing is done. */
    private void keepPin(SegmentPins.Pin pin, @Nullable IdChunk chunk) {
        if (chunk == null || chunk.next() == null) {
            pin.release();
            return;
        }
        pin.moveTo(IdScan.Cursor.parse(chunk.next()).segment());
        listingPins.values().removeIf(SegmentPins.Pin::expired); // abandoned listings
        listingPins.put(chunk.next(), pin);
    }

    /** The chunk with only the ids the index still holds; on the writer. */
    private IdChunk stored(String tenant, IdChunk chunk) {
        Tenant t = tenants.get(tenant);
        List<String> kept = new ArrayList<>(chunk.ids().size());
        for (String pairId : chunk.ids()) {
            if (t != null) {
                keys.hash(t, pairId);
                if (index.contains(keys.low(), keys.high())) {
                    kept.add(pairId);
                }
            }
        }
        return new IdChunk(kept, chunk.next());
    }
}
