package countapp.protocol;

import countapp.model.ItemBatch;
import countapp.model.Window;
import countapp.placement.ItemGroups;
import countapp.placement.Partitioner;
import java.util.List;

/**
 * One operation of a request frame (see {@link Channel}). Closed: every kind is one of the records below,
 * and code that acts on an operation does so through {@link #on(Cases)}, whose {@link Cases} has one
 * method per kind. Adding a kind therefore fails the compile of every place that must handle it, instead
 * of falling into some other kind's branch.
 */
public sealed interface Operation permits Operation.Add, Operation.Count, Operation.Erase, Operation.EraseTenant {
    OperationKind kind();

    <R> R on(Cases<R> cases);

    /** What to do with each kind of operation. */
    interface Cases<R> {
        R add(Add add);

        R count(Count count);

        R erase(Erase erase);

        R eraseTenant(EraseTenant eraseTenant);
    }

    /**
     * Adds items of {@code batch}, grouped by the partition they belong to: the coordinator hashed each
     * tenant to its partition once, and the worker stores each group in its partition without hashing
     * again. A decoded add holds exactly the items that were sent.
     */
    record Add(ItemBatch batch, List<ItemGroups.Group> groups) implements Operation {
        /** The number of items added. */
        public int count() {
            return ItemGroups.items(groups);
        }

        @Override
        public OperationKind kind() {
            return OperationKind.ADD;
        }

        @Override
        public <R> R on(Cases<R> cases) {
            return cases.add(this);
        }
    }

    /** Reads {@code tenant}'s count in {@code window} ({@link Window#ALL} for all time). */
    record Count(String tenant, Window window) implements Operation {
        @Override
        public OperationKind kind() {
            return OperationKind.COUNT;
        }

        @Override
        public <R> R on(Cases<R> cases) {
            return cases.count(this);
        }
    }

    /** Erases one pair. */
    record Erase(String tenant, String id) implements Operation {
        @Override
        public OperationKind kind() {
            return OperationKind.ERASE;
        }

        @Override
        public <R> R on(Cases<R> cases) {
            return cases.erase(this);
        }
    }

    /**
     * Erases every pair of {@code tenant}: a long operation (see {@link Channel#RUNNING}).
     *
     * @param token the same for every re-send of one client request, so a re-send that arrives after the
     *     erasure ended gets its result instead of starting another; 0 for none
     */
    record EraseTenant(String tenant, long token) implements Operation {
        @Override
        public OperationKind kind() {
            return OperationKind.ERASE_TENANT;
        }

        @Override
        public <R> R on(Cases<R> cases) {
            return cases.eraseTenant(this);
        }
    }

    /** An add of every item of {@code batch}, grouped by {@code partitioner}. */
    static Add add(ItemBatch batch, Partitioner partitioner) {
        int[] all = ItemGroups.all(batch.size());
        return new Add(batch, ItemGroups.of(ItemGroups.partitions(batch, partitioner), all, all.length));
    }

    static Count count(String tenant, Window window) {
        return new Count(tenant, window);
    }

    static Erase erase(String tenant, String id) {
        return new Erase(tenant, id);
    }

    static EraseTenant eraseTenant(String tenant, long token) {
        return new EraseTenant(tenant, token);
    }
}
