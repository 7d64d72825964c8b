package countapp.bench.shootout;

import countapp.model.ItemBatch;
import countapp.store.Partition;
import countapp.store.log.LogStore;
import countapp.store.log.WriteLoop;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The {@code log-index} candidate: CountApp's log store (an append-only log of the new pairs and an
 * in-memory index of keyed 64-bit fingerprints) on one partition, its writes run on the caller's thread as
 * a worker's event loop runs them, the log fsynced once a second by the store's syncer.
 */
final class LogIndex implements Candidate {
    /** Runs every task at once on the calling thread: the caller is the loop, as a worker's event loop is. */
    private static final WriteLoop CALLER = new WriteLoop() {
        @Override
        public boolean inLoop() {
            return true;
        }

        @Override
        public void execute(Runnable task) {
            task.run();
        }
    };

    private final Path dir;
    private final LogStore store;
    private final Partition partition;
    private int[] indices = new int[0];

    LogIndex(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
        Path keyFile = dir.resolve(HashedBatch.KEY_FILE);
        if (!Files.exists(keyFile)) {
            byte[] key = new byte[16];
            new SecureRandom().nextBytes(key);
            Files.write(keyFile, key);
        }
        ByteBuffer key = ByteBuffer.wrap(Files.readAllBytes(keyFile));
        this.store = LogStore.builder(dir, 1, key.getLong(), key.getLong()).persistInterval(Duration.ofSeconds(1))
                .loop(CALLER).build();
        this.partition = store.open(0, Duration.ofSeconds(10));
    }

    @Override
    public long add(String[] tenants, String[] ids, int n) throws Exception {
        if (indices.length < n) {
            indices = new int[n];
            for (int i = 0; i < n; i++) {
                indices[i] = i;
            }
        }
        String[] t = tenants.length == n ? tenants : java.util.Arrays.copyOf(tenants, n);
        String[] d = ids.length == n ? ids : java.util.Arrays.copyOf(ids, n);
        return partition.add(ItemBatch.of(t, d), indices, n).get(10, TimeUnit.SECONDS);
    }

    @Override
    public long count(String tenant) throws Exception {
        return partition.count(tenant).get(10, TimeUnit.SECONDS);
    }

    @Override
    public long diskBytes() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    @Override
    public void close() {
        store.close();
    }
}
