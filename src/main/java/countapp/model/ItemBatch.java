package countapp.model;

/**
 * A validated batch of items as two parallel arrays: the parsed strings are the only per-item objects on
 * the hot path. Instances are immutable once built by {@link ItemParser}.
 */
public final class ItemBatch {
    private final String[] tenants;
    private final String[] ids;

    public ItemBatch(String[] tenants, String[] ids) {
        if (tenants.length != ids.length) {
            throw new IllegalArgumentException("tenants and ids differ in length");
        }
        this.tenants = tenants;
        this.ids = ids;
    }

    /** A batch from parallel arrays, which the caller must not change afterwards. */
    public static ItemBatch of(String[] tenants, String[] ids) {
        return new ItemBatch(tenants, ids);
    }

    public int size() {
        return ids.length;
    }

    public String tenant(int index) {
        return tenants[index];
    }

    public String id(int index) {
        return ids[index];
    }
}
