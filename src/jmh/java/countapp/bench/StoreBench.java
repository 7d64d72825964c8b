package countapp.bench;

import countapp.model.ItemBatch;
import countapp.placement.Murmur3;
import countapp.store.Partition;
import countapp.store.log.LogStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The store's add path and count reads on one partition of the log store ({@code worker_persist: 1}, so the
 * log is written before each add completes and fsynced once a second). One caller waits for each add, so
 * this is the per-call cost including the hop to the partition's writer thread and back. The {@code add*}
 * scores are items per second (fresh items, all new); {@code count} is reads per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgs = {"-Xms256m", "-Xmx256m"})
public class StoreBench {
    private static final int TENANTS = 100;

    private Path dir;
    private LogStore store;
    private Partition partition;
    private long next;
    private String[] tenantNames;

    @Setup(Level.Trial)
    public void open() throws IOException {
        dir = Files.createTempDirectory("countapp-jmh-");
        store = LogStore.builder(dir, 1, 0x0123456789abcdefL, 0x0fedcba987654321L).persistInterval(Duration.ofSeconds(1)).build();
        partition = store.open(0, Duration.ofSeconds(10));
        tenantNames = new String[TENANTS];
        for (int t = 0; t < TENANTS; t++) {
            tenantNames[t] = "bench-0123456789-" + t;
        }
        partition.add(batch(1000), indices(1000), 1000).join(); // the count reads find real tenants
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        store.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** {@code n} fresh items, spread over the tenants like the HTTP benchmark's. */
    private ItemBatch batch(int n) {
        String[] tenants = new String[n];
        String[] ids = new String[n];
        for (int i = 0; i < n; i++) {
            long s = next++;
            tenants[i] = tenantNames[(int) (s % TENANTS)];
            ids[i] = String.format("i%016x", Murmur3.fmix64(s)); // as the HTTP benchmark: distinct, unordered
        }
        return ItemBatch.of(tenants, ids);
    }

    private static int[] indices(int n) {
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        return all;
    }

    private static final int[] ONE = indices(1);
    private static final int[] HUNDRED = indices(100);
    private static final int[] THOUSAND = indices(1000);

    @Benchmark
    @OperationsPerInvocation(1)
    public long add1() {
        return partition.add(batch(1), ONE, 1).join();
    }

    @Benchmark
    @OperationsPerInvocation(100)
    public long add100() {
        return partition.add(batch(100), HUNDRED, 100).join();
    }

    @Benchmark
    @OperationsPerInvocation(1000)
    public long add1000() {
        return partition.add(batch(1000), THOUSAND, 1000).join();
    }

    @Benchmark
    public long count() {
        return partition.count(tenantNames[(int) (next++ % TENANTS)]).join();
    }
}
