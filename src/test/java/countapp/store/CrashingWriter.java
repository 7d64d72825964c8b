package countapp.store;

import countapp.model.ItemBatch;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Child process of {@link StoreContractTest}'s crash test: opens partition 0 of a store, adds the items
 * ("t", "0") .. ("t", n-1) one acknowledged add at a time, reports {@code ACKED <n>} and then waits to be
 * killed. It never closes the store, so nothing but the log can keep the items.
 *
 * <p>Arguments: engine ({@code log}, the embedded store's), store folder, n, worker_persist in milliseconds.
 */
public final class CrashingWriter {
    private CrashingWriter() {}

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[1]);
        int n = Integer.parseInt(args[2]);
        Duration persist = Duration.ofMillis(Long.parseLong(args[3]));
        Store store = StoreFixtures.newLogStore(root, persist);
        Partition partition = store.open(0, StoreFixtures.OPEN_TIMEOUT);
        long added = 0;
        for (int i = 0; i < n; i++) {
            ItemBatch batch = ItemBatch.of(new String[] {"t"}, new String[] {Integer.toString(i)});
            added += partition.add(batch, new int[] {0}, 1).get();
        }
        System.out.println("ACKED " + added);
        System.out.flush();
        while (true) {
            Thread.sleep(60_000);
        }
    }
}
