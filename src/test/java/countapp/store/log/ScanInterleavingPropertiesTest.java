package countapp.store.log;

import static org.assertj.core.api.Assertions.assertThat;

import countapp.model.ItemBatch;
import countapp.model.Retention;
import countapp.model.Window;
import countapp.store.IdChunk;
import countapp.store.MutableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Issue 19: tenant erasures and id listings are exact with any interleaving of compaction, segment rolls,
 * window expiry and restarts, checked against a model (a set of ids per tenant). Tiny segments, tiny
 * chunks, and between any two chunks of an erasure or a listing any of those steps.
 */
class ScanInterleavingPropertiesTest {
    private static final List<String> TENANTS = List.of("a", "b", "c", "d");
    private static final Instant START = Instant.parse("2026-11-28T12:00:00Z");

    /** One test run: the store, the model, and listings under way. */
    private static final class Run {
        final Path root;
        final Random random;
        final MutableClock clock = new MutableClock(START);
        final Map<String, Set<String>> model = new HashMap<>();
        LogStore store;
        LogPartition p;
        /** Whether a compaction ran since the last restart: only then may a listing's cursor be refused. */
        boolean compactedSinceRestart;

        Run(Path root, long seed) {
            this.root = root;
            this.random = new Random(seed);
            open();
        }

        void open() {
            store = LogStore.builder(root, 1, 7, 11).persistInterval(Duration.ofMillis(50)).segmentBytes(2048)
                    .windows(new Retention(2, 1), clock).build();
            p = (LogPartition) store.open(0, Duration.ofSeconds(5));
            p.erasures.chunkSize = 1 + random.nextInt(6);
            compactedSinceRestart = false;
        }

        void restart() throws IOException {
            store.close();
            if (random.nextBoolean()) {
                Files.deleteIfExists(root.resolve("0/log/snapshot")); // as after a crash: a full replay
            }
            open();
        }

        int today() {
            return Window.dayOfMillis(clock.millis());
        }

        /** Adds a batch of mostly {@code tenant}'s ids, some of another tenant but never {@code busy}'s. */
        void add(String tenant, String busy) throws Exception {
            int n = 1 + random.nextInt(12);
            String[] tenants = new String[n];
            String[] ids = new String[n];
            int[] days = new int[n];
            for (int k = 0; k < n; k++) {
                tenants[k] = random.nextInt(4) == 0 ? other(tenant, busy) : tenant;
                ids[k] = "id-" + random.nextInt(120);
                days[k] = today();
            }
            long expected = 0;
            for (int k = 0; k < n; k++) {
                if (model.computeIfAbsent(tenants[k], t -> new HashSet<>()).add(ids[k])) {
                    expected++;
                }
            }
            int[] all = java.util.stream.IntStream.range(0, n).toArray();
            assertThat(await(p.add(ItemBatch.of(tenants, ids, days), all, n))).isEqualTo(expected);
        }

        /** A tenant that is none of {@code not}. */
        String other(String... not) {
            String t;
            do {
                t = TENANTS.get(random.nextInt(TENANTS.size()));
            } while (List.of(not).contains(t));
            return t;
        }

        /** One step that touches no pair of {@code busy} (a tenant being listed or erased): the interleavings. */
        void step(String busy, boolean mayRestart) throws Exception {
            switch (random.nextInt(7)) {
                case 0, 1 -> add(other(busy), busy);
                case 2 -> {
                    String t = other(busy);
                    String id = "id-" + random.nextInt(120);
                    boolean had = model.computeIfAbsent(t, x -> new HashSet<>()).remove(id);
                    assertThat(await(p.erase(t, id))).isEqualTo(had ? 1 : 0);
                }
                case 3 -> {
                    await(store.compactErased());
                    compactedSinceRestart = true;
                }
                case 4 -> await(p.compact()); // seals (rolls) the current segment first
                case 5 -> {
                    clock.advance(Duration.ofHours(20));
                    store.expireWindows();
                }
                case 6 -> {
                    if (mayRestart && random.nextInt(3) == 0) {
                        restart();
                    } else {
                        add(other(busy), busy);
                    }
                }
                default -> throw new IllegalStateException();
            }
        }

        /** Lists a tenant in small chunks with steps between them; a refused cursor (only after a restart and a compaction) starts over. */
        List<String> list(String tenant) throws Exception {
            List<String> listed = new ArrayList<>();
            String cursor = null;
            int max = 1 + random.nextInt(9);
            do {
                IdChunk chunk;
                try {
                    chunk = await(p.ids(tenant, cursor, max));
                } catch (java.util.concurrent.ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOf(IllegalArgumentException.class)
                            .hasMessageContaining("start the scan again");
                    assertThat(compactedSinceRestart).as("refused only after a restart lost the pin and a compaction").isTrue();
                    listed.clear();
                    cursor = null;
                    continue;
                }
                listed.addAll(chunk.ids());
                cursor = chunk.next();
                if (cursor != null && random.nextBoolean()) {
                    step(tenant, true);
                }
            } while (cursor != null);
            return listed;
        }
    }

    private static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(30, TimeUnit.SECONDS);
    }

    @Property(tries = 10)
    void logStore_anyInterleaving_erasuresAndListingsMatchTheModel(@ForAll long seed) throws Exception {
        Path root = Files.createTempDirectory("scan-interleaving");
        Run run = new Run(root, seed);
        try {
            for (int round = 0; round < 40; round++) {
                String tenant = TENANTS.get(run.random.nextInt(TENANTS.size()));
                int what = run.random.nextInt(10);
                if (what < 5) {
                    run.add(tenant, "");
                } else if (what < 7) {
                    Set<String> expected = run.model.getOrDefault(tenant, Set.of());
                    List<String> listed = run.list(tenant);
                    assertThat(new HashSet<>(listed)).as("listing of " + tenant).isEqualTo(expected);
                } else if (what < 9) {
                    int had = run.model.getOrDefault(tenant, Set.of()).size();
                    Run r = run;
                    // Off the writer (the hook runs where a chunk completed): a step waits for the writer. An erasure is
                    // one request, so no restart inside it (a client re-sends an erasure cut short).
                    run.p.erasures.betweenChunks = () -> CompletableFuture.runAsync(() -> {
                        try {
                            r.step(tenant, false);
                        } catch (Exception e) {
                            throw new java.util.concurrent.CompletionException(e);
                        }
                    });
                    LogPartition erasing = run.p;
                    assertThat(await(erasing.eraseTenant(tenant))).as("erased of " + tenant).isEqualTo(had);
                    erasing.erasures.betweenChunks = () -> CompletableFuture.completedFuture(null);
                    run.model.remove(tenant);
                    assertThat(await(run.p.count(tenant))).isZero();
                } else {
                    run.step(tenant, true);
                }
            }
            run.restart();
            for (String t : TENANTS) {
                Set<String> expected = run.model.getOrDefault(t, Set.of());
                assertThat(await(run.p.count(t))).as("count of " + t + " after a restart").isEqualTo(expected.size());
                assertThat(new HashSet<>(run.list(t))).as("ids of " + t + " after a restart").isEqualTo(expected);
            }
        } finally {
            run.store.close();
            try (java.util.stream.Stream<Path> paths = Files.walk(root)) {
                for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }
}
