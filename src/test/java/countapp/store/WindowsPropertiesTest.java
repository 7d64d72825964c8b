package countapp.store;

import static countapp.store.StoreFixtures.await;
import static org.assertj.core.api.Assertions.assertThat;

import countapp.model.ItemBatch;
import countapp.model.Retention;
import countapp.model.Window;
import countapp.store.log.LogStore;
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
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Windows against a model: for random streams of adds (with event days across day and month boundaries,
 * duplicates and late items), erasures of pairs and tenants, days passing and restarts, every kept day's
 * and month's count is the model's distinct count, every run of kept days is the model's union, and all
 * time is the model's set.
 */
class WindowsPropertiesTest {
    static final Retention RETENTION = new Retention(3, 2);
    /** Three days before a month's end: the streams cross day and month boundaries. */
    static final Instant START = Instant.parse("2026-11-28T22:00:00Z");
    static final List<String> TENANTS = List.of("a", "b", "😀");
    static final List<String> IDS = List.of("1", "2", "3", "4", "x");

    sealed interface Step permits Add, Erase, EraseTenant, Pass, Reopen {}

    /** An add of one pair whose event time is {@code daysAgo} days before now (negative: a few minutes ahead). */
    record Add(String tenant, String id, int daysAgo) implements Step {}

    record Erase(String tenant, String id) implements Step {}

    record EraseTenant(String tenant) implements Step {}

    record Pass(int hours) implements Step {}

    record Reopen() implements Step {}

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<String> tenant = Arbitraries.of(TENANTS);
        Arbitrary<String> id = Arbitraries.of(IDS);
        Arbitrary<Step> add = net.jqwik.api.Combinators.combine(tenant, id, Arbitraries.integers().between(-1, 6))
                .as(Add::new);
        Arbitrary<Step> erase = net.jqwik.api.Combinators.combine(tenant, id).as(Erase::new);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(12, add),
                net.jqwik.api.Tuple.of(2, erase),
                net.jqwik.api.Tuple.of(1, tenant.map(EraseTenant::new)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(1, 40).map(Pass::new)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(new Reopen())))
                .list().ofMinSize(1).ofMaxSize(60);
    }

    @Property(tries = 60)
    void logStore_anyStream_everyKeptWindowMatchesTheModel(@ForAll("steps") List<Step> steps) throws IOException {
        Path root = Files.createTempDirectory("windows-model");
        MutableClock clock = new MutableClock(START);
        Backend backend = new Reopening(
                () -> LogStore.builder(root, 1, 11, 12).persistInterval(Duration.ofMillis(200))
                        .windows(RETENTION, clock).build());
        try {
            run(steps, clock, backend);
        } finally {
            backend.close();
            try (java.util.stream.Stream<Path> paths = Files.walk(root)) {
                for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }

    /**
     * The same on Redis. Its keys expire by Redis' own clock, so the injected clock starts in the future
     * (near the end of next month: the stream crosses a month's end) and only moves forward.
     */
    @Property(tries = 25)
    void redis_anyStream_everyKeptWindowMatchesTheModel(@ForAll("steps") List<Step> steps) throws Exception {
        countapp.store.redis.RedisServers.Server server = redis();
        countapp.store.redis.RedisServers.cli(server.port, "flushall");
        Instant start = java.time.YearMonth.now(java.time.ZoneOffset.UTC).plusMonths(1).atEndOfMonth().minusDays(2)
                .atTime(22, 0).toInstant(java.time.ZoneOffset.UTC);
        MutableClock clock = new MutableClock(start);
        countapp.config.RedisConfig config = new countapp.config.RedisConfig(
                List.of(new countapp.config.RedisConfig.HostPort("127.0.0.1", server.port)), false, null, 0,
                Duration.ofSeconds(20));
        Backend backend = new Reopening(() -> countapp.store.redis.RedisStore.connect(config, 1, RETENTION, clock));
        try {
            run(steps, clock, backend);
        } finally {
            backend.close();
        }
    }

    private static countapp.store.redis.RedisServers.Server redisServer;

    /** One redis-server for every try (started on first use, stopped with the JVM). */
    private static synchronized countapp.store.redis.RedisServers.Server redis() throws Exception {
        countapp.store.redis.RedisServers.assumeInstalled();
        if (redisServer == null) {
            Path dir = Files.createTempDirectory("windows-model-redis");
            redisServer = countapp.store.redis.RedisServers.standalone(dir);
            countapp.store.redis.RedisServers.Server started = redisServer;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close));
        }
        return redisServer;
    }

    /** A backend whose store is opened anew on {@link Reopen} (the data stays where the store keeps it). */
    static final class Reopening implements Backend {
        private final java.util.function.Supplier<Store> opener;
        private Store store;

        Reopening(java.util.function.Supplier<Store> opener) {
            this.opener = opener;
            this.store = opener.get();
        }

        @Override
        public Partition partition() {
            return store.open(0, StoreFixtures.OPEN_TIMEOUT);
        }

        @Override
        public void reopen() {
            store.close();
            store = opener.get();
        }

        @Override
        public void close() {
            store.close();
        }
    }

    /** A store under test, reopened on {@link Reopen} (a backend that cannot restart may do nothing). */
    interface Backend {
        Partition partition();

        void reopen();

        void close();
    }

    static void run(List<Step> steps, MutableClock clock, Backend backend) {
        Model model = new Model();
        for (Step step : steps) {
            int today = Window.dayOfMillis(clock.millis());
            Partition p = backend.partition();
            if (step instanceof Add a) {
                long eventMillis = a.daysAgo() < 0 ? clock.millis() + 4 * 60_000 : clock.millis() - a.daysAgo() * 86_400_000L;
                int day = Window.dayOfMillis(eventMillis);
                long added = await(p.add(ItemBatch.of(new String[] {a.tenant()}, new String[] {a.id()}, new int[] {day}),
                        new int[] {0}, 1));
                assertThat(added).as("added by %s", a).isEqualTo(model.add(a.tenant(), a.id(), day, today) ? 1 : 0);
            } else if (step instanceof Erase e) {
                assertThat(await(p.erase(e.tenant(), e.id()))).as("erased by %s", e)
                        .isEqualTo(model.erase(e.tenant(), e.id()) ? 1L : 0L);
            } else if (step instanceof EraseTenant e) {
                assertThat(await(p.eraseTenant(e.tenant()))).as("erased by %s", e).isEqualTo(model.eraseTenant(e.tenant()));
            } else if (step instanceof Pass pass) {
                clock.advance(Duration.ofHours(pass.hours()));
            } else {
                backend.reopen();
            }
            check(backend.partition(), model, Window.dayOfMillis(clock.millis()), step);
        }
    }

    static void check(Partition p, Model model, int today, Step after) {
        for (String t : TENANTS) {
            assertThat(await(p.count(t))).as("all time of %s after %s", t, after).isEqualTo(model.allTime(t).size());
            for (int d = today - RETENTION.days() + 1; d <= today + 1; d++) {
                assertThat(await(p.count(t, Window.day(d)))).as("%s of %s after %s", Window.day(d), t, after)
                        .isEqualTo(model.day(t, d).size());
            }
            int month = Window.monthOfDay(today);
            for (int m = month - RETENTION.months() + 1; m <= month; m++) {
                assertThat(await(p.count(t, Window.month(m)))).as("%s of %s after %s", Window.month(m), t, after)
                        .isEqualTo(model.month(t, m).size());
            }
            for (int from = today - RETENTION.days() + 1; from <= today; from++) {
                Set<String> union = new HashSet<>();
                for (int d = from; d <= today; d++) {
                    union.addAll(model.day(t, d));
                }
                assertThat(await(p.count(t, Window.days(from, today)))).as("%s of %s after %s", Window.days(from, today),
                        t, after).isEqualTo(union.size());
            }
        }
    }

    /** What the windows should hold: per tenant, the ids of all time, of each day and of each month. */
    static final class Model {
        private final Map<String, Set<String>> allTime = new HashMap<>();
        private final Map<String, Set<String>> days = new HashMap<>();
        private final Map<String, Set<String>> months = new HashMap<>();

        boolean add(String tenant, String id, int day, int today) {
            int month = Window.monthOfDay(day);
            if (RETENTION.keepsDay(day, today)) {
                day(tenant, day).add(id);
            }
            if (RETENTION.keepsMonth(month, Window.monthOfDay(today))) {
                month(tenant, month).add(id);
            }
            return allTime(tenant).add(id);
        }

        boolean erase(String tenant, String id) {
            days.forEach((k, ids) -> {
                if (k.startsWith(tenant + "\u0000")) {
                    ids.remove(id);
                }
            });
            months.forEach((k, ids) -> {
                if (k.startsWith(tenant + "\u0000")) {
                    ids.remove(id);
                }
            });
            return allTime(tenant).remove(id);
        }

        long eraseTenant(String tenant) {
            long had = allTime(tenant).size();
            for (String id : new ArrayList<>(allTime(tenant))) {
                erase(tenant, id);
            }
            return had;
        }

        Set<String> allTime(String tenant) {
            return allTime.computeIfAbsent(tenant, t -> new HashSet<>());
        }

        Set<String> day(String tenant, int day) {
            return days.computeIfAbsent(tenant + "\u0000" + day, t -> new HashSet<>());
        }

        Set<String> month(String tenant, int month) {
            return months.computeIfAbsent(tenant + "\u0000" + month, t -> new HashSet<>());
        }
    }
}
