package countapp.migrate;

import countapp.model.ItemBatch;
import countapp.placement.Partitioner;
import countapp.store.DatabaseMeta;
import countapp.store.Partition;
import countapp.store.StoreException;
import countapp.store.log.LogStore;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * {@code countapp migrate <folder>}: converts a database folder in format 1 (RocksDB) to the log store's
 * format, keeping the partition count, so every tenant stays in its partition.
 *
 * <p>Safe at any point: the pairs are written to a new folder beside the original ({@code <folder>.migrating}),
 * every tenant's count in it is checked against the original's, and only then are the folders swapped by
 * two renames: the original becomes {@code <folder>.format1} and the new one {@code <folder>}. A crash
 * before the swap leaves the original in place (the next run starts over); a crash between the renames
 * is finished by the next run. Run it with the workers on that folder stopped.
 */
public final class Migration {
    /** Pairs per add: bounded memory whatever the partition's size. */
    private static final int CHUNK = 4096;
    private static final Duration OPEN_TIMEOUT = Duration.ofSeconds(10);

    /**
     * What a run did.
     *
     * @param pairs pairs converted
     * @param tenants tenants converted
     * @param original where the format-1 original is kept, or null when there was nothing to convert
     */
    public record Result(long pairs, long tenants, @Nullable Path original) {}

    private final Path folder;
    private final Path staging;
    private final Path original;
    private final Consumer<String> progress;

    private Migration(Path folder, Consumer<String> progress) {
        this.folder = folder.toAbsolutePath().normalize();
        this.staging = sibling(".migrating");
        this.original = sibling(".format1");
        this.progress = progress;
    }

    /** Converts {@code folder}, reporting each step to {@code progress}; see the class comment. */
    public static Result run(Path folder, Consumer<String> progress) {
        return new Migration(folder, progress).run();
    }

    private Path sibling(String suffix) {
        return folder.resolveSibling(folder.getFileName() + suffix);
    }

    private Result run() {
        if (!Files.exists(folder)) {
            if (Files.isDirectory(original) && isLogDatabase(staging)) {
                progress.accept("finishing the swap an earlier run began: " + staging + " becomes " + folder);
                move(staging, folder);
                return new Result(0, 0, original);
            }
            throw new MigrationException("no database folder at " + folder);
        }
        int format = format(folder);
        if (format != DatabaseMeta.FORMAT_1) {
            progress.accept(folder + " is already in the log store's format: nothing to convert");
            return new Result(0, 0, null);
        }
        if (Files.exists(original)) {
            throw new MigrationException(original + " already exists (the original of an earlier conversion?): move "
                    + "it away first; nothing was changed");
        }
        clearStaging();
        int partitions = DatabaseMeta.partitions(folder);
        long[] totals = convertAll(partitions);
        progress.accept("every count checked; swapping the folders");
        move(folder, original);
        move(staging, folder);
        return new Result(totals[0], totals[1], original);
    }

    /** Writes every partition's pairs into the staging folder; {pairs, tenants}. */
    private long[] convertAll(int partitions) {
        DatabaseMeta meta = DatabaseMeta.loadOrCreate(staging, partitions);
        Partitioner partitioner = new Partitioner(partitions);
        long pairs = 0;
        long tenants = 0;
        LogStore store = LogStore.builder(staging, partitions, meta.hashKey0(), meta.hashKey1())
                .persistInterval(Duration.ofSeconds(1)).build();
        try {
            for (int p = 0; p < partitions; p++) {
                Path dir = folder.resolve(Integer.toString(p));
                if (!Files.exists(dir.resolve("CURRENT")) && isEmptyOrAbsent(dir)) {
                    continue; // never written by its owner: holds nothing
                }
                Map<String, Long> counts = convert(dir, p, partitioner, store);
                pairs += counts.values().stream().mapToLong(Long::longValue).sum();
                tenants += counts.size();
            }
        } catch (RuntimeException e) {
            store.close();
            String left = "";
            try {
                deleteTree(staging);
            } catch (IOException | RuntimeException cleanup) {
                left = " (the partial copy " + staging + " is removed by the next run)";
            }
            throw new MigrationException(e.getMessage() + "; nothing was changed in " + folder + left, e);
        }
        store.close();
        return new long[] {pairs, tenants};
    }

    /** Converts one partition and checks its counts; the pairs per tenant. */
    private Map<String, Long> convert(Path dir, int p, Partitioner partitioner, LogStore store) {
        Partition target = store.open(p, OPEN_TIMEOUT);
        Map<String, Long> read = new HashMap<>();
        Map<String, Long> stored;
        try (Format1Partition source = Format1Partition.open(dir)) {
            Chunk chunk = new Chunk(target);
            stored = source.read((tenant, id) -> {
                if (partitioner.partitionOf(tenant) != p) {
                    throw new MigrationException("tenant \"" + tenant + "\" is in " + dir + " but belongs to partition "
                            + partitioner.partitionOf(tenant) + " of " + partitioner.partitions()
                            + ": not the partition layout of this database");
                }
                read.merge(tenant, 1L, Long::sum);
                chunk.add(tenant, id);
            });
            chunk.flush();
        }
        if (!stored.equals(read)) {
            throw new MigrationException(dir + " is inconsistent: its stored counts differ from its pairs for "
                    + differing(stored, read) + " tenants");
        }
        for (Map.Entry<String, Long> e : read.entrySet()) {
            long converted = await(target.count(e.getKey()));
            if (converted != e.getValue()) {
                throw new MigrationException("partition " + p + ": tenant \"" + e.getKey() + "\" counts " + converted
                        + " after the conversion, " + e.getValue() + " before");
            }
        }
        await(target.close());
        progress.accept("partition " + p + ": " + read.values().stream().mapToLong(Long::longValue).sum() + " pairs of "
                + read.size() + " tenants converted and checked");
        return read;
    }

    private static long differing(Map<String, Long> a, Map<String, Long> b) {
        return Stream.concat(a.keySet().stream(), b.keySet().stream()).distinct()
                .filter(t -> !a.getOrDefault(t, 0L).equals(b.getOrDefault(t, 0L))).count();
    }

    /** Pairs read but not yet added: added {@link #CHUNK} at a time, each add awaited. */
    private static final class Chunk {
        private final Partition target;
        private final String[] tenants = new String[CHUNK];
        private final String[] ids = new String[CHUNK];
        private int size;

        Chunk(Partition target) {
            this.target = target;
        }

        void add(String tenant, String id) {
            tenants[size] = tenant;
            ids[size] = id;
            if (++size == CHUNK) {
                flush();
            }
        }

        void flush() {
            if (size == 0) {
                return;
            }
            int[] indices = new int[size];
            for (int i = 0; i < size; i++) {
                indices[i] = i;
            }
            // No days: converted pairs count all-time (format 1 kept no windows).
            ItemBatch batch = ItemBatch.of(Arrays.copyOf(tenants, size), Arrays.copyOf(ids, size));
            long added = await(target.add(batch, indices, size));
            if (added != size) {
                throw new MigrationException("partition " + target.id() + ": " + (size - added) + " of " + size
                        + " distinct pairs were taken for pairs already stored");
            }
            size = 0;
        }
    }

    private static boolean isEmptyOrAbsent(Path dir) {
        if (!Files.isDirectory(dir)) {
            return true;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            throw new MigrationException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static int format(Path dir) {
        try {
            return DatabaseMeta.format(dir);
        } catch (StoreException e) {
            throw new MigrationException(String.valueOf(e.getMessage()), e);
        }
    }

    private static boolean isLogDatabase(Path dir) {
        try {
            return Files.isDirectory(dir) && DatabaseMeta.format(dir) != DatabaseMeta.FORMAT_1;
        } catch (StoreException e) {
            return false;
        }
    }

    /** Removes what an interrupted run left in the staging folder; refuses a folder that is not such a copy. */
    private void clearStaging() {
        if (!Files.exists(staging)) {
            return;
        }
        if (!isLogDatabase(staging)) {
            throw new MigrationException(staging + " exists and is not a copy left by an earlier conversion: move it "
                    + "away first; nothing was changed");
        }
        progress.accept("removing the partial copy of an interrupted run: " + staging);
        try {
            deleteTree(staging);
        } catch (IOException e) {
            throw new MigrationException("cannot remove " + staging + ": " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(f);
            }
        }
    }

    private static void move(Path from, Path to) {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
            try (FileChannel parent = FileChannel.open(to.getParent(), StandardOpenOption.READ)) {
                parent.force(true); // the rename itself survives a power loss
            }
        } catch (IOException e) {
            throw new MigrationException("cannot rename " + from + " to " + to + ": " + e.getMessage(), e);
        }
    }

    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(5, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MigrationException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new MigrationException(String.valueOf(cause.getMessage()), cause);
        } catch (TimeoutException e) {
            throw new MigrationException("the log store did not answer within 5 minutes", e);
        }
    }
}
