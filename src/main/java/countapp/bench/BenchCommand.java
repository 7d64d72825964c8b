package countapp.bench;

import countapp.api.Json;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code countapp bench}: drives a CountApp deployment over HTTP, reports throughput and latency, and then
 * checks that the counts are exact: for every tenant of the run, acked ≤ count ≤ sent.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"HTTP load generator for CountApp that verifies exactness at the end.",
            "Closed loop (as fast as the server answers) by default; --rate gives an open loop at a fixed request "
                + "rate whose latency counts from each request's intended send time (no coordinated omission).",
            "Tenants are named <prefix>-<n> with a fresh random prefix, so their counts start at 0 on any database.",
            "Exit status: 0 if every request succeeded and every count is exact, 1 otherwise, 2 on bad options."})
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--url", defaultValue = "http://localhost:5000", description = "coordinator URL (default: ${DEFAULT-VALUE})")
    String url;

    @Option(names = {"-d", "--duration"}, defaultValue = "10", description = "measured seconds (default: ${DEFAULT-VALUE})")
    double duration;

    @Option(names = "--warmup", defaultValue = "2", description = "seconds of load before measuring (default: ${DEFAULT-VALUE})")
    double warmup;

    @Option(names = {"-c", "--connections"}, defaultValue = "32", description = "keep-alive connections (default: ${DEFAULT-VALUE})")
    int connections;

    @Option(names = {"-t", "--threads"}, defaultValue = "2", description = "event-loop threads of the generator (default: ${DEFAULT-VALUE})")
    int threads;

    @Option(names = {"-b", "--batch"}, defaultValue = "100", description = "items per POST (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--tenants", defaultValue = "100", description = "tenants; item n goes to tenant n mod this (default: ${DEFAULT-VALUE})")
    int tenants;

    @Option(names = "--duplicates", defaultValue = "0", description = "share of items that re-send an already sent item, 0..1 (default: ${DEFAULT-VALUE})")
    double duplicates;

    @Option(names = "--rate", defaultValue = "0", description = "open loop: requests per second on a fixed schedule; 0 = closed loop, max throughput (default: ${DEFAULT-VALUE})")
    double rate;

    @Option(names = "--mode", defaultValue = "post", description = "post (POST /items) or count (GET /items/{tenant}/count) (default: ${DEFAULT-VALUE})")
    String mode;

    @Option(names = "--ids", defaultValue = "hashed", description = "hashed (i + 16 hex digits, no order) or sequential (i<n>) (default: ${DEFAULT-VALUE})")
    String ids;

    @Option(names = "--items", defaultValue = "0", description = "stop after this many distinct items (0 = only the duration limits the run)")
    long items;

    @Option(names = "--seed-items", defaultValue = "10", description = "count mode: items stored per tenant before measuring (default: ${DEFAULT-VALUE})")
    int seedItems;

    @Option(names = "--timeout", defaultValue = "30", description = "seconds before a request counts as failed (default: ${DEFAULT-VALUE})")
    int timeout;

    @Option(names = "--prefix", description = "tenant name prefix (default: bench-<random>)")
    String prefix;

    @Option(names = "--json", description = "also write a machine-readable summary to this file")
    Path json;

    @Option(names = "--allow-refused", description = "count answers 503 with Retry-After (load shed by the server) "
            + "as refused, not failed: for overload tests")
    boolean allowRefused;

    @Option(names = "--quiet", description = "no progress line")
    boolean quiet;

    private final PrintStream out = System.out;
    private final PrintStream err = System.err;

    @Override
    public Integer call() throws Exception {
        String problem = validate();
        if (problem != null) {
            err.println("countapp bench: " + problem);
            return 2;
        }
        URI uri = URI.create(url);
        String base = uri.getRawPath() == null || "/".equals(uri.getRawPath()) ? "" : stripSlash(uri.getRawPath());
        Lane.Target target = new Lane.Target(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 80, base, timeout * 1000L);
        if (prefix == null) {
            prefix = "bench-" + Long.toHexString(new SecureRandom().nextLong() & 0xffffffffffL);
        }
        boolean post = "post".equals(mode);
        Workload work = new Workload(prefix, tenants, batch, duplicates, items, "hashed".equals(ids));
        Stats stats = new Stats();
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(threads).setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1));
        List<Lane> lanes = new ArrayList<>();
        long seed = new SecureRandom().nextLong();
        for (int i = 0; i < threads; i++) {
            int share = connections / threads + (i < connections % threads ? 1 : 0);
            lanes.add(new Lane(i, threads, vertx, target, share, work, stats, seed + i, allowRefused));
        }
        try {
            return run(work, stats, lanes, post);
        } finally {
            for (Lane lane : lanes) {
                lane.close();
            }
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private String validate() {
        if (!"post".equals(mode) && !"count".equals(mode)) {
            return "--mode must be post or count, got " + mode;
        }
        if (duration <= 0 || warmup < 0 || connections < 1 || threads < 1 || batch < 1 || tenants < 1 || timeout < 1
                || rate < 0 || items < 0 || seedItems < 0) {
            return "--duration, --connections, --threads, --batch, --tenants and --timeout must be positive; "
                    + "--warmup, --rate, --items and --seed-items must not be negative";
        }
        if (!"hashed".equals(ids) && !"sequential".equals(ids)) {
            return "--ids must be hashed or sequential, got " + ids;
        }
        if (duplicates < 0 || duplicates > 1) {
            return "--duplicates must be between 0 and 1, got " + duplicates;
        }
        if (threads > connections) {
            threads = connections;
        }
        try {
            URI u = URI.create(url);
            if (!"http".equals(u.getScheme()) || u.getHost() == null) {
                return "--url must be an http:// URL with a host, got " + url;
            }
        } catch (IllegalArgumentException e) {
            return "--url " + url + " is not a URL: " + e.getMessage();
        }
        return null;
    }

    private int run(Workload work, Stats stats, List<Lane> lanes, boolean post) throws Exception {
        String loop = rate > 0 ? String.format(Locale.ROOT, "open loop at %,.0f req/s", rate) : "closed loop";
        err.printf(Locale.ROOT, "countapp bench: %s %s, %s, %d connections, %d threads, %s%d tenants (%s-*), %.0f s + %.0f s warm-up%n",
                post ? "POST" : "GET count", url, loop, connections, threads,
                post ? "batch " + batch + ", duplicates " + duplicates + ", " : "", tenants, work.prefix(), duration, warmup);
        if (!post && seedItems > 0) {
            long total = (long) seedItems * tenants;
            long now = System.nanoTime();
            Lane.Phase seeding = new Lane.Phase(true, (int) Math.min(100, total), 4, 0, now, now,
                    now + TimeUnit.SECONDS.toNanos(120), total, false);
            await(lanes, seeding, 150);
            err.printf(Locale.ROOT, "seeded %,d items over %d tenants%n", work.allocated(), tenants);
        }
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        long warmupEnd = start + (long) (warmup * 1e9);
        long deadline = warmupEnd + (long) (duration * 1e9);
        int perLane = Math.max(1, connections / lanes.size());
        Lane.Phase phase = new Lane.Phase(post, batch, perLane, rate, start, warmupEnd, deadline,
                items > 0 ? items : 0, true);
        Histogram total = new Histogram(Stats.HIGHEST_MICROS, 3);
        Progress progress = new Progress(stats, total, quiet ? null : err);
        Thread reporter = new Thread(progress, "bench-progress");
        reporter.setDaemon(true);
        reporter.start();
        List<Future<Void>> runs = new ArrayList<>();
        for (Lane lane : lanes) {
            runs.add(lane.run(phase));
        }
        boolean drained = true;
        try {
            Future.all(runs).toCompletionStage().toCompletableFuture()
                    .get((long) (warmup + duration) + timeout + 30L, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            drained = false;
            stats.error("requests still unanswered " + (timeout + 30) + " s after the end of the run");
        }
        long finished = System.nanoTime();
        progress.stop();
        reporter.join(2000);
        synchronized (total) {
            total.add(stats.latency.getIntervalHistogram());
        }
        double seconds = (Math.min(deadline, finished) - warmupEnd) / 1e9;
        if (seconds <= 0) {
            seconds = (finished - start) / 1e9;
        }
        Verification v = verify(work, stats, lanes, post);
        Map<String, Object> summary = summary(work, stats, total, seconds, v);
        printSummary(summary, stats, total, v, post);
        if (json != null) {
            Files.writeString(json, Json.write(summary) + "\n", StandardCharsets.UTF_8);
        }
        long errors = stats.errors.sum();
        if (!drained || errors > 0 || !v.ok) {
            err.println();
            err.println("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!");
            if (errors > 0) {
                err.printf(Locale.ROOT, "!! BENCH FAILED: %,d requests failed; first errors:%n", errors);
                for (String s : stats.errorSamples()) {
                    err.println("!!   " + s);
                }
            }
            if (!v.ok) {
                err.println("!! BENCH FAILED: EXACTNESS CHECK FAILED (acked <= count <= sent violated):");
                for (String s : v.problems) {
                    err.println("!!   " + s);
                }
            }
            err.println("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!");
            return 1;
        }
        return 0;
    }

    private static void await(List<Lane> lanes, Lane.Phase phase, long timeoutSeconds) throws Exception {
        List<Future<Void>> runs = new ArrayList<>();
        for (Lane lane : lanes) {
            runs.add(lane.run(phase));
        }
        Future.all(runs).toCompletionStage().toCompletableFuture().get(timeoutSeconds, TimeUnit.SECONDS);
    }

    /** The per-tenant result of the exactness check. */
    private static final class Verification {
        long sent;
        long acked;
        long counted;
        long added;
        /** Something worth knowing that is not a failure, or null. */
        String note;
        boolean ok = true;
        final List<String> problems = new ArrayList<>();

        void problem(String p) {
            ok = false;
            if (problems.size() < 10) {
                problems.add(p);
            }
        }
    }

    /** Reads every tenant's count and checks acked ≤ count ≤ sent, per tenant. */
    private Verification verify(Workload work, Stats stats, List<Lane> lanes, boolean post) throws Exception {
        BitSet sent = new BitSet();
        BitSet acked = new BitSet();
        for (Lane lane : lanes) {
            sent.or(lane.sent);
            acked.or(lane.acked);
        }
        long[] sentPer = new long[tenants];
        long[] ackedPer = new long[tenants];
        for (int s = sent.nextSetBit(0); s >= 0; s = sent.nextSetBit(s + 1)) {
            sentPer[work.tenantOf(s)]++;
        }
        for (int s = acked.nextSetBit(0); s >= 0; s = acked.nextSetBit(s + 1)) {
            ackedPer[work.tenantOf(s)]++;
        }
        Verification v = new Verification();
        v.added = stats.added.sum();
        long[] counts = new long[tenants];
        int chunk = 64;
        for (int from = 0; from < tenants; from += chunk) {
            List<Future<Long>> reads = new ArrayList<>();
            int to = Math.min(tenants, from + chunk);
            for (int t = from; t < to; t++) {
                reads.add(lanes.get(t % lanes.size()).readCount(work.tenant(t)));
            }
            try {
                Future.join(reads).toCompletionStage().toCompletableFuture().get(timeout * 4L, TimeUnit.SECONDS);
            } catch (Exception e) {
                // each read's own failure is reported below
            }
            for (int t = from; t < to; t++) {
                Future<Long> r = reads.get(t - from);
                if (r.succeeded()) {
                    counts[t] = r.result();
                } else {
                    counts[t] = -1;
                    v.problem("cannot read the count of " + work.tenant(t) + ": "
                            + (r.cause() == null ? "no answer" : r.cause().getMessage()));
                }
            }
        }
        for (int t = 0; t < tenants; t++) {
            v.sent += sentPer[t];
            v.acked += ackedPer[t];
            if (counts[t] < 0) {
                continue;
            }
            v.counted += counts[t];
            if (counts[t] < ackedPer[t] || counts[t] > sentPer[t]) {
                v.problem(String.format(Locale.ROOT, "%s: count %d, but acked %d and sent %d", work.tenant(t), counts[t],
                        ackedPer[t], sentPer[t]));
            }
        }
        // Each new pair is reported "added" at most once, so more reported than counted is a double count.
        // Fewer is allowed: a sub-batch that CountApp retried after its first attempt was stored (answer
        // lost, owner moved) reports those pairs as not new (README, Guarantees).
        if (post && stats.errors.sum() == 0 && v.ok) {
            if (v.added > v.counted) {
                v.problem(String.format(Locale.ROOT, "the answers reported %d pairs added, the counts sum to only %d",
                        v.added, v.counted));
            } else if (v.added < v.counted) {
                v.note = String.format(Locale.ROOT, "answers reported %,d of the %,d new pairs as added (retried "
                        + "sub-batches report pairs their first attempt stored as not new)", v.added, v.counted);
            }
        }
        return v;
    }

    private Map<String, Object> summary(Workload work, Stats stats, Histogram h, double seconds, Verification v) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("mode", mode);
        doc.put("url", url);
        doc.put("loop", rate > 0 ? "open" : "closed");
        doc.put("rate", rate);
        doc.put("connections", connections);
        doc.put("threads", threads);
        doc.put("batch", "post".equals(mode) ? batch : 1);
        doc.put("tenants", tenants);
        doc.put("duplicates", duplicates);
        doc.put("ids", ids);
        doc.put("prefix", work.prefix());
        doc.put("seconds", round(seconds));
        doc.put("warmup_seconds", warmup);
        long requests = stats.requests.sum();
        long items = stats.items.sum();
        doc.put("requests", requests);
        doc.put("items", items);
        doc.put("errors", stats.errors.sum());
        Histogram refusedLatency = stats.refusedLatency.getIntervalHistogram();
        doc.put("refused", stats.refused.sum());
        doc.put("refused_p50_ms", ms(refusedLatency.getValueAtPercentile(50)));
        doc.put("refused_p99_ms", ms(refusedLatency.getValueAtPercentile(99)));
        doc.put("requests_per_second", round(requests / seconds));
        doc.put("items_per_second", round(items / seconds));
        Map<String, Object> lat = new LinkedHashMap<>();
        lat.put("p50", ms(h.getValueAtPercentile(50)));
        lat.put("p90", ms(h.getValueAtPercentile(90)));
        lat.put("p99", ms(h.getValueAtPercentile(99)));
        lat.put("p99_9", ms(h.getValueAtPercentile(99.9)));
        lat.put("max", ms(h.getMaxValue()));
        lat.put("mean", round(h.getMean() / 1000.0));
        doc.put("latency_ms", lat);
        Map<String, Object> ver = new LinkedHashMap<>();
        ver.put("ok", v.ok);
        ver.put("tenants", tenants);
        ver.put("acked", v.acked);
        ver.put("counted", v.counted);
        ver.put("sent", v.sent);
        ver.put("added_reported", v.added);
        ver.put("problems", v.problems);
        doc.put("verify", ver);
        return doc;
    }

    @SuppressWarnings("unchecked")
    private void printSummary(Map<String, Object> s, Stats stats, Histogram h, Verification v, boolean post) {
        Map<String, Object> lat = (Map<String, Object>) s.get("latency_ms");
        out.println();
        out.printf(Locale.ROOT, "%-16s %s%n", "scenario", (post ? "POST /items, batch " + batch + ", duplicates " + duplicates
                : "GET /items/{tenant}/count") + ", " + s.get("loop") + " loop"
                + (rate > 0 ? String.format(Locale.ROOT, " at %,.0f req/s", rate) : "") + ", " + connections + " connections");
        out.printf(Locale.ROOT, "%-16s %.1f s measured (after %.1f s warm-up)%n", "duration", (Double) s.get("seconds"), warmup);
        out.printf(Locale.ROOT, "%-16s %,d  (%,.0f req/s)%n", "requests", (Long) s.get("requests"), (Double) s.get("requests_per_second"));
        out.printf(Locale.ROOT, "%-16s %,d  (%,.0f items/s)%n", "items", (Long) s.get("items"), (Double) s.get("items_per_second"));
        out.printf(Locale.ROOT, "%-16s %,d%n", "errors", stats.errors.sum());
        if (allowRefused) {
            out.printf(Locale.ROOT, "%-16s %,d  (503 with Retry-After; p50 %.2f  p99 %.2f ms from send to refusal)%n",
                    "refused", stats.refused.sum(), (Double) s.get("refused_p50_ms"), (Double) s.get("refused_p99_ms"));
        }
        out.printf(Locale.ROOT, "%-16s p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f%s%n", "latency ms",
                (Double) lat.get("p50"), (Double) lat.get("p90"), (Double) lat.get("p99"), (Double) lat.get("p99_9"),
                (Double) lat.get("max"),
                rate > 0 ? "  (from intended send times)" : "");
        out.printf(Locale.ROOT, "%-16s %d tenants: acked %,d <= counted %,d <= sent %,d  -> %s%n", "exactness",
                tenants, v.acked, v.counted, v.sent, v.ok ? "OK" : "FAILED");
        if (v.note != null) {
            out.printf(Locale.ROOT, "%-16s %s%n", "note", v.note);
        }
        if (h.getTotalCount() == 0) {
            out.println("(no request completed in the measured window)");
        }
    }

    private static double ms(long micros) {
        return round(micros / 1000.0);
    }

    private static double round(double d) {
        return Math.round(d * 1000.0) / 1000.0;
    }

    private static String stripSlash(String p) {
        return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    /** Prints one line a second: request and item rates, errors, and the p99 of that second. */
    private static final class Progress implements Runnable {
        private final Stats stats;
        private final Histogram total;
        private final PrintStream err;
        private volatile boolean running = true;

        Progress(Stats stats, Histogram total, PrintStream err) {
            this.stats = stats;
            this.total = total;
            this.err = err;
        }

        void stop() {
            running = false;
        }

        @Override
        public void run() {
            long started = System.nanoTime();
            long lastReq = 0;
            long lastItems = 0;
            long last = started;
            Histogram interval = null;
            while (running) {
                long next = last + 1_000_000_000L;
                while (running && System.nanoTime() < next) {
                    try {
                        Thread.sleep(Math.max(1, Math.min(100, (next - System.nanoTime()) / 1_000_000)));
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (!running) {
                    return;
                }
                long now = System.nanoTime();
                long req = stats.completed.sum();
                long it = stats.completedItems.sum();
                interval = stats.latency.getIntervalHistogram(interval);
                synchronized (total) {
                    total.add(interval);
                }
                double dt = (now - last) / 1e9;
                if (err != null) {
                    err.printf(Locale.ROOT, "[%4.0fs] %,9.0f req/s %,11.0f items/s  errors %,d  p99 %s%n",
                            (now - started) / 1e9, (req - lastReq) / dt, (it - lastItems) / dt, stats.errors.sum(),
                            interval.getTotalCount() == 0 ? "-" : String.format(Locale.ROOT, "%.2f ms",
                                    interval.getValueAtPercentile(99) / 1000.0));
                }
                lastReq = req;
                lastItems = it;
                last = now;
            }
        }
    }
}
