package countapp.bench.shootout;

import countapp.placement.Murmur3;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.SplittableRandom;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Timeout;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The storage shoot-out: every {@link Candidate} on the same workloads, one writer thread calling
 * {@link Candidate#add} synchronously with 100-item batches.
 *
 * <p>Each trial opens the candidate on a fresh folder (under {@code -Dshootout.dir}, else the temporary
 * folder) and preloads {@code items} distinct items through its own {@code add} in batches of {@value
 * #PRELOAD_BATCH} (its fastest path), printing the preload's time and rate, then waits for the background
 * work the preload left ({@link ShootoutHooks}) and prints the disk bytes per item and the process's RSS
 * (which includes the 256 MB Java heap, touched whole at start).
 * Item {@code s} is tenant {@code bench-0123456789-<s mod 100>} with id {@code i} + 16 hex digits of a
 * bijective mix of {@code s}, as the load generator sends.
 *
 * <ul>
 *   <li>{@code add} (items/s): {@code unique} = all 100 items of a batch are fresh; {@code dup90} = 90 of
 *       them re-send stored items chosen uniformly from all stored ones, 10 are fresh (positions random).
 *       Fresh items continue the preload's sequence, so the store grows during the run.
 *   <li>{@code count} (reads/s): {@link Candidate#count} of the tenants in turn.
 * </ul>
 *
 * <p>At the end of each trial the counts of all tenants must add up to the number of distinct items
 * stored, and every add must have reported exactly its fresh items as new; otherwise the trial fails.
 * More candidates: register them in {@link Candidates} and pass {@code -p candidate=rocksdb-hashed,lmdb,<name>}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 10)
@Measurement(iterations = 3, time = 10)
// The heap is touched whole at start, so RSS differences are the candidates' (not how much heap each happened
// to touch). lmdbjava reads direct buffers' addresses. -jvmArgsAppend keeps these, -jvmArgs would replace them.
// The trial's setup (the preload) runs within the first warm-up iteration, and 100 M items take long.
@Timeout(time = 4, timeUnit = TimeUnit.HOURS)
@Fork(value = 1, jvmArgs = {"-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch", "--add-opens", "java.base/java.nio=ALL-UNNAMED",
        "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED"})
public class StoreShootout {
    static final int TENANTS = 100;
    static final int BATCH = 100;
    static final int PRELOAD_BATCH = 10_000;
    static final int DUPLICATES_PER_BATCH = 90;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** The candidate with its preloaded items; shared by {@code add} and {@code count}. */
    @State(Scope.Benchmark)
    public static class Store {
        @Param({"rocksdb-hashed", "lmdb", "log-index"})
        public String candidate;

        @Param({"10000000", "100000000"})
        public long items;

        Candidate store;
        Path dir;
        /** Items {@code [0, next)} are stored. */
        long next;
        long freshSent;
        long reportedNew;
        long reads;
        final String[] tenantNames = new String[TENANTS];

        @Setup(Level.Trial)
        public void open() throws Exception {
            System.out.println(); // JMH has printed "# Warmup Iteration 1: " already
            for (int t = 0; t < TENANTS; t++) {
                tenantNames[t] = tenantName(t);
            }
            String parent = System.getProperty("shootout.dir");
            dir = parent == null ? Files.createTempDirectory("countapp-shootout-")
                    : Files.createTempDirectory(Files.createDirectories(Path.of(parent)), "countapp-shootout-");
            store = Candidates.open(candidate, dir);
            preload();
        }

        private void preload() throws Exception {
            String[] tenants = new String[PRELOAD_BATCH];
            String[] ids = new String[PRELOAD_BATCH];
            long progressEvery = Math.max(PRELOAD_BATCH, items / 10);
            long start = System.nanoTime();
            while (next < items) {
                int n = (int) Math.min(PRELOAD_BATCH, items - next);
                for (int i = 0; i < n; i++) {
                    tenants[i] = tenantNames[(int) ((next + i) % TENANTS)];
                    ids[i] = id(next + i);
                }
                long added = store.add(tenants, ids, n);
                if (added != n) {
                    throw new IllegalStateException(candidate + ": preload batch at " + next + " reported " + added + " of " + n + " fresh items as new");
                }
                next += n;
                if (next % progressEvery == 0 && next < items) {
                    log("preload %,d items, %.0f items/s so far", next, next / seconds(start));
                }
            }
            double preload = seconds(start);
            log("preload: %,d items in %.1f s = %.0f items/s (batches of %,d)", items, preload, items / preload, PRELOAD_BATCH);
            if (store instanceof ShootoutHooks hooks) {
                long settleStart = System.nanoTime();
                hooks.settle();
                log("settled in %.1f s (background work left by the preload)", seconds(settleStart));
            }
            report("after preload");
        }

        @TearDown(Level.Trial)
        public void close() throws Exception {
            try {
                report("after the run");
                long sum = 0;
                for (String t : tenantNames) {
                    sum += store.count(t);
                }
                if (sum != next || reportedNew != freshSent) {
                    throw new IllegalStateException(String.format(Locale.ROOT,
                            "%s NOT EXACT: %d distinct items stored, counts add up to %d; adds reported %d new of %d fresh",
                            candidate, next, sum, reportedNew, freshSent));
                }
                log("exact: %,d distinct items, counts add up to %,d; adds reported %,d new of %,d fresh", next, sum, reportedNew, freshSent);
            } finally {
                store.close();
                try (Stream<Path> files = Files.walk(dir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }

        private void report(String when) throws Exception {
            long disk = store.diskBytes();
            long[] rss = rssKb();
            String more = store instanceof ShootoutHooks hooks ? hooks.describe() : "";
            log("%s: %,d items, disk %,d bytes = %.1f B/item, RSS %,d MB (anon %,d MB incl. the pre-touched heap, file %,d MB)%s",
                    when, next, disk, (double) disk / next, rss[0] >> 10, rss[1] >> 10, rss[2] >> 10, more.isEmpty() ? "" : "; " + more);
        }

        private void log(String format, Object... args) {
            System.out.println("[shootout " + candidate + " items=" + items + "] " + String.format(Locale.ROOT, format, args));
        }
    }

    /** The batches of {@code add}. */
    @State(Scope.Thread)
    public static class Load {
        @Param({"unique", "dup90"})
        public String workload;

        final String[] tenants = new String[BATCH];
        final String[] ids = new String[BATCH];
        private final boolean[] fresh = new boolean[BATCH];
        private final SplittableRandom rnd = new SplittableRandom(42);
        private boolean duplicates;

        @Setup(Level.Trial)
        public void setup() {
            switch (workload) {
                case "unique" -> duplicates = false;
                case "dup90" -> duplicates = true;
                default -> throw new IllegalArgumentException("unknown workload " + workload + " (unique, dup90)");
            }
        }

        /** Fills the next batch; returns how many of its items are fresh (the rest are stored already). */
        int fill(Store s) {
            int freshCount = BATCH;
            if (duplicates && s.next > 0) {
                Arrays.fill(fresh, false);
                freshCount = BATCH - DUPLICATES_PER_BATCH;
                for (int f = 0; f < freshCount; ) {
                    int pos = rnd.nextInt(BATCH);
                    if (!fresh[pos]) {
                        fresh[pos] = true;
                        f++;
                    }
                }
            } else {
                Arrays.fill(fresh, true);
            }
            long seq = s.next;
            for (int i = 0; i < BATCH; i++) {
                long item = fresh[i] ? seq++ : rnd.nextLong(s.next);
                tenants[i] = s.tenantNames[(int) (item % TENANTS)];
                ids[i] = id(item);
            }
            return freshCount;
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long add(Store s, Load load) throws Exception {
        int freshCount = load.fill(s);
        long added = s.store.add(load.tenants, load.ids, BATCH);
        s.next += freshCount;
        s.freshSent += freshCount;
        s.reportedNew += added;
        return added;
    }

    @Benchmark
    public long count(Store s) throws Exception {
        return s.store.count(s.tenantNames[(int) (s.reads++ % TENANTS)]);
    }

    static String tenantName(int t) {
        return "bench-0123456789-" + t;
    }

    /** {@code i} + 16 hex digits of a bijective mix of {@code seq}, as the load generator's ids. */
    static String id(long seq) {
        long v = Murmur3.fmix64(seq);
        char[] c = new char[17];
        c[0] = 'i';
        for (int i = 16; i >= 1; i--) {
            c[i] = HEX[(int) (v & 0xf)];
            v >>>= 4;
        }
        return new String(c);
    }

    static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** {VmRSS, RssAnon, RssFile} of this process in KB (zeros where /proc is missing). */
    static long[] rssKb() {
        long[] kb = new long[3];
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                String[] f = line.split("\\s+");
                switch (f[0]) {
                    case "VmRSS:" -> kb[0] = Long.parseLong(f[1]);
                    case "RssAnon:" -> kb[1] = Long.parseLong(f[1]);
                    case "RssFile:" -> kb[2] = Long.parseLong(f[1]);
                    default -> { }
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: report zeros
        }
        return kb;
    }
}
