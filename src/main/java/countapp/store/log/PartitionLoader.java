package countapp.store.log;

import countapp.codec.ByteSink;
import countapp.codec.ByteSource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A partition's open and snapshot: loads its snapshot (if any is readable) and replays the log after it into
 * the index and the tenants' counts; writes the snapshot at its close. Runs on the thread opening or
 * closing the partition, before any reader sees its state or after the writer has ended.
 */
final class PartitionLoader {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionLoader.class);

    private final long segmentBytes;
    private final SipHash hash;
    private final Executor io;

    PartitionLoader(long segmentBytes, SipHash hash, Executor io) {
        this.segmentBytes = segmentBytes;
        this.hash = hash;
        this.io = io;
    }

    record Loaded(SegmentedLog log, PairIndex index, Map<String, Tenant> tenants,
            String replayedFrom, boolean erasedAny) {}

    /** The snapshot (if any is readable) plus every frame logged after it. */
    Loaded load(Path dir) throws IOException {
        Snapshot.Content snap = Snapshot.read(dir);
        PairIndex index = snap == null ? new PairIndex() : snap.index();
        Map<String, Tenant> tenants = new HashMap<>();
        if (snap != null) {
            snap.counts().forEach((name, count) -> tenant(tenants, name).count = count);
        }
        LogPosition from = snap == null ? LogPosition.START : snap.position();
        long[] h = new long[2];
        ByteSink key = new ByteSink(256);
        SegmentedLog log;
        boolean[] erased = {false};
        try {
            log = SegmentedLog.open(dir, segmentBytes, from, (kind, payload, next) -> {
                if (kind == Frames.ADD) {
                    replay(payload, tenants, index, key, h, true);
                } else if (kind == Frames.ERASE) {
                    replay(payload, tenants, index, key, h, false);
                    erased[0] = true;
                }
                return true;
            }, System::nanoTime, io);
        } catch (IOException | RuntimeException e) {
            if (snap == null) {
                throw e;
            }
            // A snapshot that does not fit the log (older than a damaged or rewritten log): rebuild from the log.
            LOG.warn("snapshot of {} does not fit its log ({}); rebuilding the index from the whole log", dir, e.toString());
            Snapshot.delete(dir);
            return load(dir);
        }
        // Erasures before the snapshot are not seen by this replay: listings check ids against the index
        // whenever the log may hold erased ids, which it may if a snapshot was read.
        return new Loaded(log, index, tenants, snap == null ? "all" : "the tail after " + from, erased[0] || snap != null);
    }

    @SuppressWarnings("NonAtomicVolatileUpdate") // replay runs before any reader, on one thread
    private void replay(ByteSource r, Map<String, Tenant> tenants, PairIndex index, ByteSink key,
            long[] h, boolean add) {
        List<Tenant> table = new ArrayList<>();
        Frames.readPairs(r, new Frames.PairSink() {
            @Override
            public void tenant(int i, byte[] array, int at, int length) {
                table.add(PartitionLoader.tenant(tenants, new String(array, at, length, java.nio.charset.StandardCharsets.UTF_8)));
            }

            @Override
            public boolean record(int tenant, byte[] array, int at, int length) {
                Tenant t = table.get(tenant);
                key.reset();
                key.putBytes(t.prefix, 0, t.prefix.length);
                key.putBytes(array, at, length);
                hash.hash128(key.array(), key.length(), h);
                if (add ? index.add(h[0], h[1]) : index.remove(h[0], h[1])) {
                    t.count += add ? 1 : -1;
                }
                return true;
            }
        });
    }

    static Tenant tenant(Map<String, Tenant> tenants, String name) {
        return tenants.computeIfAbsent(name, n -> {
            byte[] utf8 = n.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            ByteSink s = new ByteSink(256);
            s.putVarint(utf8.length);
            s.putBytes(utf8, 0, utf8.length);
            return new Tenant(n, java.util.Arrays.copyOf(s.array(), s.length()));
        });
    }

    static void writeSnapshot(Path dir, LogPosition at, PairIndex index, Map<String, Tenant> tenants)
            throws IOException {
        Map<String, Long> counts = new HashMap<>();
        tenants.forEach((name, t) -> {
            if (t.count > 0) {
                counts.put(name, t.count);
            }
        });
        Snapshot.write(dir, at, counts, index);
    }
}
