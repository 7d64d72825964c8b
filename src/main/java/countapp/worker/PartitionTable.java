package countapp.worker;

import org.jspecify.annotations.Nullable;
import countapp.store.Partition;
import countapp.store.PartitionClosedException;
import countapp.store.PartitionLockedException;
import countapp.store.Store;
import countapp.store.StoreException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partitions this worker owns, each with its lifecycle state.
 *
 * <p>One writer: every transition runs on the single {@code partition-control} thread, so assignments
 * never interleave; request threads only read the slots (volatile array elements). Releases run before
 * opens, so a partition moving between two workers of one host is flushed and closed before it is reopened.
 * An open never waits long for another process to let go of a partition (its LOCK file): that would hold
 * up every later assignment, releases included. It gives up after {@code openTimeout} and leaves the
 * partition closed; the coordinator pushes the assignment again until the open succeeds.
 */
final class PartitionTable {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionTable.class);

    private record Slot(PartitionState state, @Nullable Partition partition) {
        /** The partition of an ACTIVE or RELEASING slot, which always holds one. */
        Partition held() {
            return java.util.Objects.requireNonNull(partition, () -> "a " + state + " slot holds no partition");
        }
    }

    private static final Slot CLOSED = new Slot(PartitionState.CLOSED, null);

    private final Store store;
    private final Duration openTimeout;
    private final AtomicReferenceArray<Slot> slots;
    /** The newest assignment received; written by request threads, read by the control thread. */
    private volatile Set<Integer> desired = Set.of();
    private final ExecutorService control = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "partition-control");
        t.setDaemon(true);
        return t;
    });

    PartitionTable(Store store, int partitions, Duration openTimeout) {
        this.store = store;
        this.openTimeout = openTimeout;
        this.slots = new AtomicReferenceArray<>(partitions);
        for (int p = 0; p < partitions; p++) {
            slots.set(p, CLOSED);
        }
    }

    int partitions() {
        return slots.length();
    }

    /** The open partition, or a {@link PartitionClosedException} when this worker does not serve it now. */
    Partition active(int partition) {
        Slot slot = slots.get(partition);
        if (slot.state() != PartitionState.ACTIVE) {
            throw new PartitionClosedException(partition);
        }
        return slot.held();
    }

    /** The partitions currently active. */
    Set<Integer> owned() {
        Set<Integer> owned = new TreeSet<>();
        for (int p = 0; p < slots.length(); p++) {
            if (slots.get(p).state() == PartitionState.ACTIVE) {
                owned.add(p);
            }
        }
        return owned;
    }

    /**
     * Makes {@code wanted} the set of owned partitions: releases the others, then opens the missing ones.
     * The newest assignment wins at once: an open still waiting for another process to let go of a
     * partition gives up as soon as a later assignment no longer wants it. Completes with the partitions
     * active afterwards, or fails naming those that could not be opened.
     */
    CompletableFuture<Set<Integer>> assign(Set<Integer> wanted) {
        for (int p : wanted) {
            if (p < 0 || p >= slots.length()) {
                return CompletableFuture.failedFuture(new IllegalArgumentException(
                        "partition " + p + " does not exist (0.." + (slots.length() - 1) + ")"));
            }
        }
        desired = Set.copyOf(wanted);
        return CompletableFuture.supplyAsync(this::converge, control);
    }

    /** Moves towards the newest {@link #desired} set; runs on the control thread. */
    private Set<Integer> converge() {
        List<Integer> release = new ArrayList<>();
        for (int p = 0; p < slots.length(); p++) {
            if (slots.get(p).state() == PartitionState.ACTIVE && !desired.contains(p)) {
                release.add(p);
            }
        }
        releaseAll(release);
        List<String> failures = new ArrayList<>();
        for (int p : new TreeSet<>(desired)) {
            if (slots.get(p).state() == PartitionState.CLOSED && desired.contains(p)) {
                try {
                    open(p);
                } catch (PartitionLockedException e) {
                    // Its previous owner has not let go yet: the coordinator asks again next round.
                    LOG.debug("{}", e.getMessage());
                } catch (StoreException e) {
                    if (desired.contains(p)) {
                        failures.add(e.getMessage());
                    }
                }
            }
        }
        if (!failures.isEmpty()) {
            throw new StoreException(String.join("; ", failures));
        }
        return owned();
    }

    /** Releases every partition: queued work finishes and is persisted first. */
    CompletableFuture<Void> releaseAll() {
        desired = Set.of();
        return CompletableFuture.runAsync(() -> releaseAll(new ArrayList<>(owned())), control);
    }

    private void open(int p) {
        move(p, PartitionState.OPENING, null);
        try {
            Partition partition = store.open(p, openTimeout, () -> desired.contains(p));
            move(p, PartitionState.ACTIVE, partition);
        } catch (StoreException e) {
            move(p, PartitionState.CLOSED, null);
            if (!(e instanceof PartitionLockedException)) {
                LOG.warn("partition {} not opened: {}", p, e.getMessage());
            }
            throw e;
        } catch (RuntimeException e) {
            // Never left OPENING: only a CLOSED slot is opened again at the coordinator's next push.
            move(p, PartitionState.CLOSED, null);
            LOG.error("partition {} not opened", p, e);
            throw new StoreException("partition " + p + " not opened: " + e, e);
        }
    }

    private void releaseAll(List<Integer> partitions) {
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (int p : partitions) {
            Partition partition = slots.get(p).held();
            move(p, PartitionState.RELEASING, partition);
            closing.add(partition.close().whenComplete((v, e) -> {
                if (e != null) {
                    LOG.error("partition {} did not close cleanly", p, e);
                }
            }));
        }
        for (int i = 0; i < partitions.size(); i++) {
            closing.get(i).handle((v, e) -> null).join();
            move(partitions.get(i), PartitionState.CLOSED, null);
        }
    }

    private void move(int p, PartitionState next, @Nullable Partition partition) {
        PartitionState current = slots.get(p).state();
        if (!current.canMoveTo(next)) {
            throw new IllegalStateException("partition " + p + ": illegal transition " + current + " -> " + next);
        }
        slots.set(p, next == PartitionState.CLOSED ? CLOSED : new Slot(next, partition));
    }

    void shutdown() {
        control.shutdown();
    }
}
