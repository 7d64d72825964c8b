package countapp.store;

import countapp.config.RedisConfig;
import countapp.model.Retention;
import countapp.store.redis.RedisServers;
import countapp.store.redis.RedisStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Redis backend against the store contract, on a real redis-server. Every test starts from an empty
 * server; the store's folder argument means nothing to this backend (its data is in Redis).
 */
class RedisStoreContractTest extends StoreContractTest {
    @TempDir
    static Path serverDir;
    private static RedisServers.Server server;
    /** Whether this test (JUnit makes an instance per test) has emptied the server yet. */
    private boolean flushed;

    @BeforeAll
    static void startRedis() throws Exception {
        RedisServers.assumeInstalled();
        server = RedisServers.standalone(serverDir);
    }

    @AfterAll
    static void stopRedis() {
        if (server != null) {
            server.close();
        }
    }

    @Override
    protected Store newStore(Path root, Duration persistInterval) {
        emptyOnce();
        return RedisStore.connect(config(), 16);
    }

    @Override
    protected Store newStore(Path root, Retention windows, Clock clock) {
        emptyOnce();
        return RedisStore.connect(config(), 16, windows, clock);
    }

    /** Empties the server before the test's first store, not under a store the test already has. */
    private void emptyOnce() {
        if (!flushed) {
            RedisServers.cli(server.port, "flushall");
            flushed = true;
        }
    }

    private static RedisConfig config() {
        // A generous command timeout: these tests check exactness, not how fast a loaded machine answers.
        return new RedisConfig(List.of(new RedisConfig.HostPort("127.0.0.1", server.port)), false, null, 0,
                Duration.ofSeconds(20));
    }

    @Override
    protected String engine() {
        return "redis";
    }

    @Override
    protected boolean partitionsOwnTheirData() {
        return false;
    }
}
