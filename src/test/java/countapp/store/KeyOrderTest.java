package countapp.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

class KeyOrderTest {
    @Property(tries = 300)
    void sortedIndices_anyKeys_stableUnsignedOrder(@ForAll @Size(max = 300) byte[][] keys) {
        int[] order = KeyOrder.sortedIndices(keys, keys.length);

        Integer[] expected = IntStream.range(0, keys.length).boxed().toArray(Integer[]::new);
        // Arrays.sort on objects is a stable merge sort: the reference for ties
        Arrays.sort(expected, Comparator.comparing((Integer i) -> keys[i], Arrays::compareUnsigned));
        assertThat(order).containsExactly(Arrays.stream(expected).mapToInt(Integer::intValue).toArray());
    }

    @Property(tries = 100)
    void sortedIndices_fewDistinctKeys_duplicatesAdjacentFirstSeenFirst(@ForAll @Size(max = 200) byte[] picks) {
        byte[][] keys = new byte[picks.length][];
        for (int i = 0; i < picks.length; i++) {
            keys[i] = new byte[] {2, (byte) (picks[i] & 3)};
        }
        int[] order = KeyOrder.sortedIndices(keys, keys.length);

        for (int k = 1; k < order.length; k++) {
            if (KeyOrder.sameKey(keys, order[k - 1], order[k])) {
                assertThat(order[k - 1]).isLessThan(order[k]);
            } else {
                assertThat(Arrays.compareUnsigned(keys[order[k - 1]], keys[order[k]])).isNegative();
            }
        }
    }
}
