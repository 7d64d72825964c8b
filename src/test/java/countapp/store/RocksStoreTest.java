package countapp.store;

import static countapp.store.StoreFixtures.OPEN_TIMEOUT;
import static countapp.store.StoreFixtures.add;
import static countapp.store.StoreFixtures.batch;
import static countapp.store.StoreFixtures.count;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The RocksDB engine of databases created by earlier versions (format 1). */
class RocksStoreTest extends StoreContractTest {
    @Override
    protected Store newStore(Path root, Duration persistInterval) {
        return StoreFixtures.newStore(root, persistInterval);
    }

    @Override
    protected String engine() {
        return "rocks";
    }

    @Test
    void count_anyTenant_equalsNumberOfItemKeysOnDisk() throws Exception {
        Partition p = store.open(3, OPEN_TIMEOUT);
        Random random = new Random(42);
        String[] tenants = {"a", "ab", "😀", "a/b", "x".repeat(200)};
        for (int round = 0; round < 30; round++) {
            List<String> ts = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                ts.add(tenants[random.nextInt(tenants.length)]);
                ids.add(Integer.toString(random.nextInt(300)));
            }
            add(p, batch(ts, ids));
        }
        Map<String, Long> counted = new java.util.HashMap<>();
        for (String t : tenants) {
            counted.put(t, count(p, t));
        }
        store.close();
        store = null;

        StoreFixtures.RawContents raw = StoreFixtures.readRaw(root.resolve("3"));

        assertThat(raw.itemKeysPerTenant()).isEqualTo(counted);
        assertThat(raw.storedCounts()).isEqualTo(counted);
    }

}
