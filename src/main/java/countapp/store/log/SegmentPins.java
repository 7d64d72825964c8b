package countapp.store.log;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Leases that keep a compaction off the segments a paged scan still has to read. A scan pins every
 * segment from the one its cursor is in onwards; a compaction rewrites segments in order and stops at the
 * first pinned one (see {@link Compactor}). A pin ends when its scan finishes, or when its lease runs out
 * (a client that stopped fetching chunks): a cursor that outlives its lease still never reads a rewritten
 * file as its own, because it names the segment's generation (see {@link SegmentFiles}); it fails clearly.
 *
 * <p>Threads: any. Every method takes this object's lock, which the log also holds while it swaps a
 * rewritten segment in ({@link SegmentedLog#swapIn}), so a pin is either taken before a swap (and the swap
 * is called off) or after it (and the scan reads the new generation from the start of its pin).
 */
final class SegmentPins {
    /** One scan's pin: segments from {@code from} on, until {@code expiresAt}. Guarded by the pins' lock. */
    final class Pin {
        private long from;
        private long expiresAt;

        private Pin(long from) {
            this.from = from;
            this.expiresAt = nanoTime.getAsLong() + leaseNanos;
        }

        /** Moves the pin to segments from {@code seq} on (a scan moved on) and renews its lease. */
        void moveTo(long seq) {
            synchronized (SegmentPins.this) {
                from = seq;
                expiresAt = nanoTime.getAsLong() + leaseNanos;
                if (!pins.contains(this)) {
                    pins.add(this);
                }
            }
        }

        void release() {
            synchronized (SegmentPins.this) {
                pins.remove(this);
            }
        }

        boolean expired() {
            synchronized (SegmentPins.this) {
                return nanoTime.getAsLong() - expiresAt > 0;
            }
        }
    }

    private final LongSupplier nanoTime;
    private final long leaseNanos;
    /** Guarded by this. */
    private final List<Pin> pins = new ArrayList<>();

    SegmentPins(LongSupplier nanoTime, long leaseNanos) {
        this.nanoTime = nanoTime;
        this.leaseNanos = leaseNanos;
    }

    synchronized Pin pin(long from) {
        Pin p = new Pin(from);
        pins.add(p);
        return p;
    }

    /** Whether a live pin covers segment {@code seq}; drops the pins whose lease ran out. */
    synchronized boolean pinned(long seq) {
        long now = nanoTime.getAsLong();
        pins.removeIf(p -> now - p.expiresAt > 0);
        for (Pin p : pins) {
            if (p.from <= seq) {
                return true;
            }
        }
        return false;
    }
}
