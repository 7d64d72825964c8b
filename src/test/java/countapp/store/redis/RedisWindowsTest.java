package countapp.store.redis;

import static countapp.store.StoreFixtures.add;
import static countapp.store.StoreFixtures.addAsync;
import static countapp.store.StoreFixtures.await;
import static countapp.store.StoreFixtures.batch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import countapp.config.RedisConfig;
import countapp.model.ItemBatch;
import countapp.model.Retention;
import countapp.model.Window;
import countapp.store.CountCursor;
import countapp.store.Partition;
import countapp.store.StoreException;
import countapp.store.TenantCount;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Day and month windows, erasure and the counts export of the Redis backend, against a real redis-server. */
class RedisWindowsTest {
    private static final int PARTITIONS = 8;
    private static final Retention WINDOWS = new Retention(35, 13);
    @TempDir
    static Path dir;
    private static RedisServers.Server server;
    private static RedisStore store;
    private static RedisStore off;
    private static final MovableClock CLOCK = new MovableClock();
    /**
     * "today" for the tests: the 15th of next month, so a few days either way stay in one month. In the
     * future rather than the past, because Redis expires window sets by its own clock.
     */
    private static int today;
    private static int thisMonth;

    /** A clock the test moves; adds and counts read it, Redis' expiry does not. */
    static final class MovableClock extends Clock {
        private volatile Instant now = Instant.EPOCH;

        void setDay(int epochDay) {
            now = Instant.ofEpochSecond(epochDay * 86_400L + 12 * 3600);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    @BeforeAll
    static void startRedis() throws Exception {
        RedisServers.assumeInstalled();
        server = RedisServers.standalone(dir);
        today = (int) LocalDate.now(ZoneOffset.UTC).plusMonths(1).withDayOfMonth(15).toEpochDay();
        thisMonth = Window.monthOfDay(today);
        store = RedisStore.connect(config(0), PARTITIONS, WINDOWS, CLOCK);
        off = RedisStore.connect(config(0), PARTITIONS);
    }

    @AfterAll
    static void stopRedis() {
        for (AutoCloseable c : new AutoCloseable[] {store, off, server}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // the next close still runs
            }
        }
    }

    @BeforeEach
    void flush() {
        CLOCK.setDay(today);
        // Every test starts with no tenants (nor registries) but keeps the partition metadata.
        RedisServers.cli(server.port, "eval", "for _,p in ipairs({'countapp:{*','countapp:tenants:*'}) do "
                + "for _,k in ipairs(redis.call('keys',p)) do redis.call('del',k) end end", "0");
    }

    private static RedisConfig config(int wait) {
        // A generous command timeout: these tests check exactness, not how fast a loaded machine answers.
        return config(wait, Duration.ofSeconds(20));
    }

    private static RedisConfig config(int wait, Duration timeout) {
        return new RedisConfig(List.of(new RedisConfig.HostPort("127.0.0.1", server.port)), false, null, wait, timeout);
    }

    /** Items given as (tenant, id, epoch day) triples. */
    private static ItemBatch items(Object... tenantIdDay) {
        int n = tenantIdDay.length / 3;
        String[] tenants = new String[n];
        String[] ids = new String[n];
        int[] days = new int[n];
        for (int i = 0; i < n; i++) {
            tenants[i] = (String) tenantIdDay[3 * i];
            ids[i] = (String) tenantIdDay[3 * i + 1];
            days[i] = (Integer) tenantIdDay[3 * i + 2];
        }
        return ItemBatch.of(tenants, ids, days);
    }

    private static long count(Partition p, String tenant, Window window) {
        return await(p.count(tenant, window));
    }

    private static String cli(String... args) {
        return RedisServers.cli(server.port, args);
    }

    @Test
    void add_itemsOnSeveralDays_countOncePerWindowAndOnceAllTime() {
        Partition p = store.open(0, Duration.ofSeconds(1));
        long lateBefore = store.lateItems();

        long added = add(p, items("t", "a", today, "t", "a", today - 1, "t", "b", today, "t", "a", today, "u", "a", today));
        long again = add(p, items("t", "a", today - 2, "t", "c", today - 1));

        assertThat(added).isEqualTo(3); // new all-time pairs: t/a, t/b, u/a
        assertThat(again).isEqualTo(1); // t/c
        assertThat(count(p, "t", Window.ALL)).isEqualTo(3);
        assertThat(count(p, "t", Window.day(today))).isEqualTo(2);
        assertThat(count(p, "t", Window.day(today - 1))).isEqualTo(2);
        assertThat(count(p, "t", Window.day(today - 2))).isEqualTo(1);
        assertThat(count(p, "t", Window.day(today - 3))).isZero();
        assertThat(count(p, "t", Window.month(thisMonth))).isEqualTo(3);
        assertThat(count(p, "u", Window.day(today))).isEqualTo(1);
        assertThat(store.lateItems()).isEqualTo(lateBefore);
    }

    @Test
    void count_runOfDays_exactUnionAndNoScratchKeyLeft() {
        Partition p = store.open(1, Duration.ofSeconds(1));
        add(p, items("t", "x", today - 2, "t", "x", today - 1, "t", "x", today, "t", "y", today - 1, "t", "z", today - 5));

        assertThat(count(p, "t", Window.days(today - 2, today))).isEqualTo(2);
        assertThat(count(p, "t", Window.days(today - 1, today))).isEqualTo(2);
        assertThat(count(p, "t", Window.days(today - 34, today + 1))).isEqualTo(3);
        assertThat(count(p, "t", Window.days(today - 4, today - 3))).isZero();
        assertThat(count(p, "nobody", Window.days(today - 2, today))).isZero();
        assertThat(cli("exists", RedisKeys.union("t"))).isEqualTo("0");
    }

    @Test
    void count_clockMovedPastRetention_windowRefusedAndSetsExpireAtRetentionEnd() {
        Partition p = store.open(2, Duration.ofSeconds(1));
        add(p, items("t", "a", today));
        long dayEnd = (today + 35L) * 86_400_000L;
        long monthEnd = Window.yearMonth(thisMonth + 13).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();

        assertThat(cli("pexpiretime", RedisKeys.day("t", today))).isEqualTo(Long.toString(dayEnd));
        assertThat(cli("pexpiretime", RedisKeys.month("t", thisMonth))).isEqualTo(Long.toString(monthEnd));
        assertThat(cli("pexpiretime", RedisKeys.items("t"))).isEqualTo("-1");

        CLOCK.setDay(today + 34); // the last day that keeps today
        assertThat(count(p, "t", Window.day(today))).isEqualTo(1);

        CLOCK.setDay(today + 35);
        assertThatThrownBy(() -> count(p, "t", Window.day(today)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("day " + LocalDate.ofEpochDay(today) + " is not kept: windows keep the last 35 days");
        assertThatThrownBy(() -> count(p, "t", Window.days(today, today + 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("are not kept");
        assertThat(count(p, "t", Window.month(thisMonth))).isEqualTo(1);
        assertThat(count(p, "t", Window.ALL)).isEqualTo(1);

        CLOCK.setDay((int) Window.yearMonth(thisMonth + 13).atDay(1).toEpochDay());
        assertThatThrownBy(() -> count(p, "t", Window.month(thisMonth)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("month " + Window.yearMonth(thisMonth) + " is not kept: windows keep the last 13 months");
    }

    @Test
    void count_windowsOff_refusedAndAddsWriteAllTimeOnly() {
        Partition p = off.open(3, Duration.ofSeconds(1));

        assertThat(add(p, items("t", "a", today))).isEqualTo(1);

        assertThat(count(p, "t", Window.ALL)).isEqualTo(1);
        assertThatThrownBy(() -> count(p, "t", Window.day(today)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageEndingWith("is not kept: windows are off");
        assertThat(cli("keys", "countapp:{t}:*")).isEqualTo(RedisKeys.items("t"));
    }

    @Test
    void add_lateItems_countAllTimeAndInTheWindowsStillKeptOnly() {
        Partition p = store.open(4, Duration.ofSeconds(1));
        long before = store.lateItems();
        int fortyDaysAgo = today - 40;
        int threeYearsAgo = today - 3 * 365;

        long added = add(p, items("t", "old", fortyDaysAgo, "t", "ancient", threeYearsAgo, "t", "ahead", today + 3,
                "t", "now", today));
        add(p, batch("t", "timeless")); // no day: all time only, not late

        assertThat(added).isEqualTo(4);
        assertThat(store.lateItems() - before).isEqualTo(3);
        assertThat(count(p, "t", Window.ALL)).isEqualTo(5);
        assertThat(count(p, "t", Window.month(Window.monthOfDay(fortyDaysAgo)))).isEqualTo(1);
        assertThat(count(p, "t", Window.days(today - 34, today + 1))).isEqualTo(1);
        assertThat(cli("exists", RedisKeys.day("t", fortyDaysAgo), RedisKeys.day("t", threeYearsAgo),
                RedisKeys.month("t", Window.monthOfDay(threeYearsAgo)), RedisKeys.day("t", today + 3))).isEqualTo("0");
    }

    @Test
    void erase_pair_allCountsDropIdempotentAndReAddCountsAgain() {
        Partition p = store.open(5, Duration.ofSeconds(1));
        add(p, items("t", "x", today, "t", "x", today - 1, "t", "y", today, "u", "x", today));

        assertThat(await(p.erase("t", "x"))).isEqualTo(1);

        assertThat(count(p, "t", Window.ALL)).isEqualTo(1);
        assertThat(count(p, "t", Window.day(today))).isEqualTo(1);
        assertThat(count(p, "t", Window.day(today - 1))).isZero();
        assertThat(count(p, "t", Window.month(thisMonth))).isEqualTo(1);
        assertThat(count(p, "t", Window.days(today - 1, today))).isEqualTo(1);
        assertThat(count(p, "u", Window.ALL)).isEqualTo(1); // another tenant's same id stays
        assertThat(await(p.erase("t", "x"))).isZero();
        assertThat(await(p.erase("nobody", "x"))).isZero();

        assertThat(add(p, items("t", "x", today - 1))).isEqualTo(1);
        assertThat(count(p, "t", Window.ALL)).isEqualTo(2);
        assertThat(count(p, "t", Window.day(today - 1))).isEqualTo(1);
        assertThat(count(p, "t", Window.day(today))).isEqualTo(1);
    }

    @Test
    void eraseTenant_withWindows_deletesEverySetAndAnswersAllTimeCount() {
        Partition p = store.open(6, Duration.ofSeconds(1));
        add(p, items("t", "a", today, "t", "b", today - 30, "t", "c", today + 1, "t", "d", today - 300, "u", "a", today));

        assertThat(await(p.eraseTenant("t"))).isEqualTo(4);

        assertThat(cli("keys", "countapp:{t}:*")).isEmpty();
        assertThat(count(p, "t", Window.ALL)).isZero();
        assertThat(count(p, "t", Window.day(today))).isZero();
        assertThat(count(p, "u", Window.day(today))).isEqualTo(1);
        assertThat(await(p.eraseTenant("t"))).isZero();
        assertThat(add(p, items("t", "a", today))).isEqualTo(1);
    }

    @Test
    void erase_racingAddsOfTheSamePair_allTimeAndWindowsAgree() throws Exception {
        Partition p = store.open(7, Duration.ofSeconds(1));
        List<CompletableFuture<Long>> ops = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String id = "id-" + (i % 10);
            ops.add(addAsync(p, items("race", id, today, "race", id, today - 1)));
            ops.add(p.erase("race", id));
        }
        CompletableFuture.allOf(ops.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

        long all = count(p, "race", Window.ALL);
        assertThat(count(p, "race", Window.day(today))).isEqualTo(all);
        assertThat(count(p, "race", Window.day(today - 1))).isEqualTo(all);
        assertThat(count(p, "race", Window.month(thisMonth))).isEqualTo(all);
    }

    @Test
    void counts_2500Tenants_eachListedOnceInChunksErasedAbsent() {
        Partition p = store.open(0, Duration.ofSeconds(1));
        Map<String, Long> expected = new HashMap<>();
        List<Object> triples = new ArrayList<>();
        for (int t = 0; t < 2500; t++) {
            String tenant = "tenant-" + t;
            for (int i = 0; i <= t % 3; i++) {
                triples.addAll(List.of(tenant, "id-" + i, today));
            }
            expected.put(tenant, (long) (t % 3 + 1));
        }
        add(p, items(triples.toArray()));
        for (int t = 0; t < 2500; t += 25) {
            assertThat(await(p.eraseTenant("tenant-" + t))).isEqualTo(t % 3 + 1);
            expected.remove("tenant-" + t);
        }

        assertThat(walk(p.counts(Window.ALL), 100)).isEqualTo(expected);
        assertThat(walk(p.counts(Window.day(today)), 100)).isEqualTo(expected);
        assertThat(walk(p.counts(Window.month(thisMonth)), 1000)).isEqualTo(expected);
        assertThat(walk(p.counts(Window.day(today - 1)), 100)).isEmpty();
        assertThat(walk(store.open(1, Duration.ofSeconds(1)).counts(Window.ALL), 100)).isEmpty();
    }

    @Test
    void counts_runOfDaysOrWindowNotKept_refused() {
        Partition p = store.open(0, Duration.ofSeconds(1));

        assertThatThrownBy(() -> await(p.counts(Window.days(today - 1, today)).next(10)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one window");
        assertThatThrownBy(() -> await(p.counts(Window.day(today - 35)).next(10)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not kept");
        assertThatThrownBy(() -> await(off.open(0, Duration.ofSeconds(1)).counts(Window.month(thisMonth)).next(10)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("windows are off");
    }

    /** Walks a cursor to its end, checking chunk sizes and that no tenant comes twice. */
    private static Map<String, Long> walk(CountCursor cursor, int max) {
        Map<String, Long> seen = new HashMap<>();
        for (List<TenantCount> chunk = await(cursor.next(max)); !chunk.isEmpty(); chunk = await(cursor.next(max))) {
            assertThat(chunk).hasSizeLessThanOrEqualTo(max);
            for (TenantCount c : chunk) {
                assertThat(seen.put(c.tenant(), c.count())).as("listed twice: %s", c.tenant()).isNull();
            }
        }
        assertThat(await(cursor.next(max))).isEmpty();
        return seen;
    }

    @Test
    void add_afterScriptCacheFlushed_scriptsResentAndStillExact() {
        Partition p = store.open(3, Duration.ofSeconds(1));
        add(p, items("t", "a", today));
        cli("script", "flush");

        assertThat(add(p, items("t", "a", today, "t", "b", today))).isEqualTo(1);
        cli("script", "flush");
        assertThat(await(p.erase("t", "a"))).isEqualTo(1);

        assertThat(count(p, "t", Window.day(today))).isEqualTo(1);
    }

    @Test
    void erase_waitForReplicaWithoutReplicas_failsLikeAnAdd() throws Exception {
        try (RedisStore waiting = RedisStore.connect(config(1, Duration.ofSeconds(2)), PARTITIONS, WINDOWS, CLOCK)) {
            Partition p = waiting.open(4, Duration.ofSeconds(1));

            assertThatThrownBy(() -> p.erase("w", "1").get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(StoreException.class).hasMessageContaining("replicas");
            assertThatThrownBy(() -> p.eraseTenant("w").get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(StoreException.class).hasMessageContaining("replicas");
        }
    }
}
