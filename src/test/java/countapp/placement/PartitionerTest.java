package countapp.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PartitionerTest {

    /**
     * Pinned literals: these are the partitions existing databases hold these tenants in. If this test
     * fails, the on-disk mapping changed and every existing database would be read wrongly.
     */
    @ParameterizedTest(name = "{0} of {1} -> {2}")
    @CsvSource({
        "tenant-1, 16, 5",
        "acme, 16, 0",
        "t1, 16, 3",
        "a, 16, 2",
        "€uro, 16, 1",
        "tenant-1, 4096, 2693",
        "acme, 4096, 3280",
        "t1, 4096, 2355",
    })
    void partitionOf_fixedTenant_isPinnedValue(String tenant, int partitions, int expected) {
        assertThat(new Partitioner(partitions).partitionOf(tenant)).isEqualTo(expected);
    }

    @Test
    void partitionOf_sameTenant_isStable() {
        Partitioner first = new Partitioner(16);
        Partitioner second = new Partitioner(16);

        for (int i = 0; i < 1000; i++) {
            String tenant = "tenant-" + i;
            assertThat(second.partitionOf(tenant)).isEqualTo(first.partitionOf(tenant));
            assertThat(first.partitionOf(tenant)).isEqualTo(first.partitionOf(tenant));
        }
    }

    @Test
    void partitionOf_stringAndUtf8Bytes_agree() {
        Partitioner partitioner = new Partitioner(64);
        for (String tenant : new String[] {"a", "€uro", "😀", "../x", " spaces "}) {
            assertThat(partitioner.partitionOf(tenant.getBytes(StandardCharsets.UTF_8)))
                    .isEqualTo(partitioner.partitionOf(tenant));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 16, 4096})
    void partitionOf_anyTenant_isInRange(int partitions) {
        Partitioner partitioner = new Partitioner(partitions);
        Set<Integer> used = new HashSet<>();

        for (int i = 0; i < 20_000; i++) {
            int p = partitioner.partitionOf("tenant-" + i);
            assertThat(p).isBetween(0, partitions - 1);
            used.add(p);
        }
        if (partitions <= 16) {
            assertThat(used).as("every partition gets tenants").hasSize(partitions);
        }
    }

    @Test
    void partitionOf_negativeHash_stillInRange() {
        // "ab" hashes to a negative int (0x9bbfd75f); floorMod must keep the partition non-negative.
        assertThat(Murmur3.hash32("ab".getBytes(StandardCharsets.UTF_8))).isNegative();

        assertThat(new Partitioner(7).partitionOf("ab")).isEqualTo(Math.floorMod(0x9bbfd75f, 7));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1})
    void constructor_nonPositivePartitions_throws(int partitions) {
        assertThatThrownBy(() -> new Partitioner(partitions)).isInstanceOf(IllegalArgumentException.class);
    }
}
