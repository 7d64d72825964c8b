package countapp.store;

import java.nio.file.Path;
import java.time.Duration;

/** The log store (the engine of new databases) against the store contract. */
class LogStoreTest extends StoreContractTest {
    @Override
    protected Store newStore(Path root, Duration persistInterval) {
        return StoreFixtures.newLogStore(root, persistInterval);
    }

    @Override
    protected String engine() {
        return "log";
    }
}
