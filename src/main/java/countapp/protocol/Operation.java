package countapp.protocol;

import countapp.model.ItemBatch;
import countapp.model.Window;

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
     * Adds the items of {@code batch} at {@code indices[0..count)} (a decoded add holds exactly the items
     * that were sent, so its indices are 0..count-1).
     */
    record Add(ItemBatch batch, int[] indices, int count) implements Operation {
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

    /** An add of every item of {@code batch}. */
    static Add add(ItemBatch batch) {
        int[] all = new int[batch.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        return new Add(batch, all, all.length);
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
