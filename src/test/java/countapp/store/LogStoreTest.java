package countapp.store;

import countapp.model.Retention;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/** The log store (the engine of new databases) against the store contract. */
class LogStoreTest extends StoreContractTest {
    @Override
    protected Store newStore(Path root, Duration persistInterval) {
        return StoreFixtures.newLogStore(root, persistInterval);
    }

    @Override
    protected Store newStore(Path root, Retention windows, Clock clock) {
        return countapp.store.log.LogStore.builder(root, StoreFixtures.PARTITIONS, 0x0123456789abcdefL, 0x0fedcba987654321L)
                .persistInterval(Duration.ofMillis(200)).windows(windows, clock).build();
    }

    @Override
    protected String engine() {
        return "log";
    }
}
