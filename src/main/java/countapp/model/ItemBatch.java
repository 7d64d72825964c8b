package countapp.model;

/**
 * A validated batch of items as parallel arrays: the parsed strings are the only per-item objects on the
 * hot path. Each item has a UTC epoch day, its event time (its {@code ts}, else its arrival): the day and
 * month windows it counts in. Instances are immutable once built by the parser.
 */
public final class ItemBatch {
    /** The day of items that carry none (a batch built without times): they count all-time only. */
    public static final int NO_DAY = Integer.MIN_VALUE;

    private final String[] tenants;
    private final String[] ids;
    private final int @org.jspecify.annotations.Nullable [] days;

    public ItemBatch(String[] tenants, String[] ids) {
        this(tenants, ids, null);
    }

    /** A batch whose item i happened on epoch day {@code days[i]}; null days: no item has a day. */
    public ItemBatch(String[] tenants, String[] ids, int @org.jspecify.annotations.Nullable [] days) {
        if (tenants.length != ids.length || (days != null && days.length != ids.length)) {
            throw new IllegalArgumentException("tenants, ids and days differ in length");
        }
        this.tenants = tenants;
        this.ids = ids;
        this.days = days;
    }

    /** A batch from parallel arrays, which the caller must not change afterwards. */
    public static ItemBatch of(String[] tenants, String[] ids) {
        return new ItemBatch(tenants, ids);
    }

    /** As {@link #of(String[], String[])}, with each item's epoch day. */
    public static ItemBatch of(String[] tenants, String[] ids, int[] days) {
        return new ItemBatch(tenants, ids, days);
    }

    /** The epoch day of item {@code index}, or {@link #NO_DAY}. */
    public int day(int index) {
        return days == null ? NO_DAY : days[index];
    }

    /** The same items without days (sharing this batch's arrays): for a cluster that keeps no windows. */
    public ItemBatch withoutDays() {
        return days == null ? this : new ItemBatch(tenants, ids, null);
    }

    public boolean hasDays() {
        return days != null;
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
