package countapp.bench.shootout;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * A quick comparison of option sets without JMH, for a machine that others use at the same time: after
 * a preload like StoreShootout's, it adds 100-item batches for a few seconds and prints the process's CPU
 * time per item (less disturbed by other load than items/s, though not immune) and, for RocksDB, the block
 * cache misses per looked-up key (which other load does not change at all).
 *
 * <p>{@code rocks:<changes>} builds a RocksDB option set from the project's by {@code +}-separated changes
 * ({@code nocomp01}, {@code bigbuf}, {@code cacheonly}, {@code hashidx}, {@code pointlookup},
 * {@code partitioned}, {@code filtersinmem}, see {@link RocksHashed.Tuning}); other names are {@link
 * Candidates}' names. With a {@code divisor}, RocksDB's cache and memtable sizes are divided by it, so
 * that {@code items} stands for {@code items × divisor} in the ratio of data to memory.
 *
 * <p>Usage: {@code TuningProbe <candidate> <items> <seconds> unique|dup90 [divisor]}.
 */
public final class TuningProbe {
    private TuningProbe() {}

    @SuppressWarnings("try") // Candidate.close() may throw anything
    public static void main(String[] args) throws Exception {
        String spec = args[0];
        long items = Long.parseLong(args[1]);
        double seconds = Double.parseDouble(args[2]);
        boolean dup90 = args[3].equals("dup90");
        int divisor = args.length > 4 ? Integer.parseInt(args[4]) : 1;
        Path dir = Files.createTempDirectory("countapp-tuning-probe-");
        try (Candidate c = open(spec, dir, divisor)) {
            run(c, spec + (divisor > 1 ? " /" + divisor : ""), items, seconds, dup90);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static Candidate open(String spec, Path dir, int divisor) throws Exception {
        if (!spec.startsWith("rocks:")) {
            return Candidates.open(spec, dir);
        }
        RocksHashed.Tuning t = RocksHashed.Tuning.PROJECT;
        for (String change : spec.substring("rocks:".length()).split("\\+")) {
            t = switch (change) {
                case "project" -> t;
                case "nocomp01" -> t.withNoCompressionL0L1();
                case "bigbuf" -> t.withMemory(64L << 20, 128L << 20, 128L << 20, true);
                case "cacheonly" -> t.withMemory(16L << 20, 32L << 20, 32L << 20, false);
                case "hashidx" -> t.withSmallHashedBlocks();
                case "pointlookup" -> t.withPointLookup();
                case "partitioned" -> t.withPartitionedIndexAndFilters();
                case "filtersinmem" -> t.withIndexAndFiltersOutsideCache();
                default -> throw new IllegalArgumentException("unknown change " + change);
            };
        }
        return new RocksHashed(dir, t.named(spec).scaledDown(divisor));
    }

    private static void run(Candidate c, String name, long items, double seconds, boolean dup90) throws Exception {
        int preloadBatch = StoreShootout.PRELOAD_BATCH;
        String[] tenants = new String[preloadBatch];
        String[] ids = new String[preloadBatch];
        long next = 0;
        long start = System.nanoTime();
        while (next < items) {
            int n = (int) Math.min(preloadBatch, items - next);
            for (int i = 0; i < n; i++) {
                tenants[i] = StoreShootout.tenantName((int) ((next + i) % StoreShootout.TENANTS));
                ids[i] = StoreShootout.id(next + i);
            }
            c.add(tenants, ids, n);
            next += n;
        }
        double preload = StoreShootout.seconds(start);
        if (c instanceof ShootoutHooks hooks) {
            hooks.settle();
            hooks.describe(); // resets the miss counters
        }
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        SplittableRandom rnd = new SplittableRandom(1);
        String[] bt = new String[StoreShootout.BATCH];
        String[] bi = new String[StoreShootout.BATCH];
        long warmUpEnd = System.nanoTime() + 1_000_000_000L; // one second unmeasured
        long end = warmUpEnd + (long) (seconds * 1e9);
        long added = 0;
        long cpuStart = 0;
        long measureStart = 0;
        boolean measuring = false;
        for (long now = System.nanoTime(); now < end; now = System.nanoTime()) {
            if (!measuring && now >= warmUpEnd) {
                measuring = true;
                added = 0;
                cpuStart = os.getProcessCpuTime();
                measureStart = now;
            }
            int fresh = 0;
            for (int i = 0; i < StoreShootout.BATCH; i++) {
                long item = !dup90 || i % 10 == 0 ? next + fresh++ : rnd.nextLong(next);
                bt[i] = StoreShootout.tenantName((int) (item % StoreShootout.TENANTS));
                bi[i] = StoreShootout.id(item);
            }
            c.add(bt, bi, StoreShootout.BATCH);
            next += fresh;
            added += StoreShootout.BATCH;
        }
        double measured = StoreShootout.seconds(measureStart);
        double cpuMicrosPerItem = (os.getProcessCpuTime() - cpuStart) / 1e3 / added;
        String misses = c instanceof ShootoutHooks hooks ? hooks.describe().replaceAll(".*per lookup: ", "") : "";
        String load = Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        System.out.printf(Locale.ROOT, "%-36s %-6s preload %,8.0f items/s; add %,8.0f items/s, %6.2f CPU-us/item; %.1f disk B/item; load %s; %s%n",
                name, dup90 ? "dup90" : "unique", items / preload, added / measured, cpuMicrosPerItem,
                (double) c.diskBytes() / next, load, misses);
    }
}
