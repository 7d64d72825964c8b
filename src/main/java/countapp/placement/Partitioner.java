package countapp.placement;

import java.nio.charset.StandardCharsets;

/** Maps a tenant to one of a fixed number of partitions by MurmurHash3 of the tenant's UTF-8 bytes. */
public final class Partitioner {
    private final int partitions;

    public Partitioner(int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
        }
        this.partitions = partitions;
    }

    public int partitions() {
        return partitions;
    }

    public int partitionOf(String tenant) {
        return partitionOf(tenant.getBytes(StandardCharsets.UTF_8));
    }

    public int partitionOf(byte[] tenantUtf8) {
        return Math.floorMod(Murmur3.hash32(tenantUtf8), partitions);
    }
}
