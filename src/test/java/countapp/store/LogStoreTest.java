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
        return new countapp.store.log.LogStore(root, StoreFixtures.PARTITIONS, 0x0123456789abcdefL, 0x0fedcba987654321L,
                Duration.ofMillis(200), StoreListener.NONE, windows, clock);
    }

    @Override
    protected String engine() {
        return "log";
    }
}
