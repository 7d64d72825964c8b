package countapp.store.log;

/** A tenant's count and its key prefix (varint length, UTF-8), shared by every key of the tenant. */
final class Tenant {
    final String name;
    final byte[] prefix;
    volatile long count;
    /** Pairs added for it in the group being written; writer only. */
    long pendingAdded;

    Tenant(String name, byte[] prefix) {
        this.name = name;
        this.prefix = prefix;
    }
}
