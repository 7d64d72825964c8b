package countapp.store;

import static countapp.store.StoreFixtures.OPEN_TIMEOUT;
import static countapp.store.StoreFixtures.add;
import static countapp.store.StoreFixtures.addAsync;
import static countapp.store.StoreFixtures.await;
import static countapp.store.StoreFixtures.batch;
import static countapp.store.StoreFixtures.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import countapp.model.ItemBatch;
import countapp.model.Retention;
import countapp.model.Window;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What every store must do, whatever its backend: exact counts under duplicates and concurrency, exact
 * erasure (of a pair, of a tenant, in every window), the partition lifecycle; and for the embedded store,
 * whose partitions hold their own data, fencing by another process and no acknowledged item lost to a
 * SIGKILL. Each backend's test class supplies the store.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
abstract class StoreContractTest {
    @TempDir
    Path root;

    protected Store store;
    private final List<Store> extraStores = new ArrayList<>();

    /** A store of the engine under test over {@code root}. */
    protected abstract Store newStore(Path root, Duration persistInterval);

    /**
     * A store over {@code root} keeping {@code windows}, whose clock says which day it is; the cases that
     * need one are skipped for an engine without windows.
     */
    protected Store newStore(Path root, Retention windows, Clock clock) {
        return org.junit.jupiter.api.Assumptions.abort(engine() + " keeps no windows");
    }

    /** The engine's name as {@link CrashingWriter} takes it. */
    protected abstract String engine();

    /**
     * Whether a partition holds its own data and one store at a time holds it (the embedded store). The
     * Redis backend's partitions only route: every partition reads the same sets and any number of
     * processes open them, so the cases about that (partition independence, fencing, the crashed writer's
     * folder) do not apply to it.
     */
    protected boolean partitionsOwnTheirData() {
        return true;
    }

    private void assumePartitionsOwnTheirData() {
        assumeTrue(partitionsOwnTheirData(), "this backend's partitions only route; they hold no data of their own");
    }

    @BeforeEach
    void openStore() {
        store = newStore(root, Duration.ofMillis(200));
    }

    @AfterEach
    void closeStores() {
        if (store != null) {
            store.close();
        }
        extraStores.forEach(Store::close);
    }

    private Store anotherStore(Duration persist) {
        Store s = newStore(root, persist);
        extraStores.add(s);
        return s;
    }

    private static void assertFailsWith(CompletableFuture<?> future, Class<? extends Throwable> cause) {
        assertThatThrownBy(() -> future.get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(cause);
    }

    @Test
    void add_distinctPairs_returnsNumberAdded() {
        Partition p = store.open(0, OPEN_TIMEOUT);

        assertThat(add(p, batch("t", "1", "t", "2", "t", "3"))).isEqualTo(3);
        assertThat(count(p, "t")).isEqualTo(3);
    }

    @Test
    void add_duplicatesInOneBatch_countedOnce() {
        Partition p = store.open(0, OPEN_TIMEOUT);

        assertThat(add(p, batch("t", "1", "t", "1", "t", "2", "t", "1"))).isEqualTo(2);
        assertThat(count(p, "t")).isEqualTo(2);
    }

    @Test
    void add_duplicatesAcrossBatches_countedOnce() {
        Partition p = store.open(0, OPEN_TIMEOUT);

        assertThat(add(p, batch("t", "1", "t", "2"))).isEqualTo(2);
        assertThat(add(p, batch("t", "2", "t", "3"))).isEqualTo(1);
        assertThat(add(p, batch("t", "1", "t", "2", "t", "3"))).isZero();
        assertThat(count(p, "t")).isEqualTo(3);
    }

    @Test
    void add_sameIdForDifferentTenants_countsForEach() {
        Partition p = store.open(0, OPEN_TIMEOUT);

        assertThat(add(p, batch("a", "1", "b", "1", "ab", "", "a", "b1"))).isEqualTo(4);
        assertThat(count(p, "a")).isEqualTo(2);
        assertThat(count(p, "b")).isEqualTo(1);
        assertThat(count(p, "ab")).isEqualTo(1);
    }

    @Test
    void add_splitBetweenTenantAndIdDiffers_countsBothPairs() {
        Partition p = store.open(0, OPEN_TIMEOUT);

        assertThat(add(p, batch("a", "bc", "ab", "c"))).isEqualTo(2);
        assertThat(count(p, "a")).isEqualTo(1);
        assertThat(count(p, "ab")).isEqualTo(1);
    }

    @Test
    void add_unicodeAndLongTenants_countedExactly() {
        Partition p = store.open(0, OPEN_TIMEOUT);
        String longTenant = "L".repeat(300);

        assertThat(add(p, batch("😀", "1", "😀", "2", "../x", "1", longTenant, "1", longTenant, "1"))).isEqualTo(4);
        assertThat(count(p, "😀")).isEqualTo(2);
        assertThat(count(p, "../x")).isEqualTo(1);
        assertThat(count(p, longTenant)).isEqualTo(1);
    }

    @Test
    void add_onlyGivenIndices_addsThoseItemsOnly() {
        Partition p = store.open(0, OPEN_TIMEOUT);
        ItemBatch b = batch("t", "0", "t", "1", "t", "2", "t", "3");

        assertThat(await(p.add(b, new int[] {1, 3, 0}, 2))).isEqualTo(2);
        assertThat(count(p, "t")).isEqualTo(2);
        assertThat(add(p, batch("t", "1", "t", "3"))).isZero();
        assertThat(add(p, batch("t", "0"))).isEqualTo(1);
    }

    @Test
    void add_emptySelection_addsNothing() {
        Partition p = store.open(0, OPEN_TIMEOUT);

        assertThat(await(p.add(batch("t", "1"), new int[0], 0))).isZero();
        assertThat(count(p, "t")).isZero();
    }

    @Test
    void add_largeBatch_countsEveryDistinctPair() {
        Partition p = store.open(0, OPEN_TIMEOUT);
        List<String> tenants = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            tenants.add("t" + (i % 3));
            ids.add(Integer.toString(i % 9_000));
        }

        // ids repeat every 9000 and tenants every 3, so pairs repeat every lcm(3, 9000) = 9000 items.
        assertThat(add(p, batch(tenants, ids))).isEqualTo(9_000);
        assertThat(count(p, "t0") + count(p, "t1") + count(p, "t2")).isEqualTo(9_000);
        assertThat(count(p, "t0")).isEqualTo(3_000);
    }

    @Test
    void add_concurrentOverlappingFromEightThreads_exactCounts() throws Exception {
        Partition p = store.open(0, OPEN_TIMEOUT);
        int threads = 8;
        int ids = 2_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Long>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long seed = t;
                results.add(pool.submit(() -> {
                    List<Integer> order = new ArrayList<>();
                    for (int i = 0; i < ids; i++) {
                        order.add(i);
                    }
                    Collections.shuffle(order, new Random(seed));
                    List<CompletableFuture<Long>> pending = new ArrayList<>();
                    for (int start = 0; start < ids; start += 50) {
                        List<String> tenants = new ArrayList<>();
                        List<String> idList = new ArrayList<>();
                        for (int i = start; i < start + 50; i++) {
                            int id = order.get(i);
                            tenants.add(id % 2 == 0 ? "even" : "odd");
                            idList.add(Integer.toString(id));
                            tenants.add("shared");
                            idList.add(Integer.toString(id));
                        }
                        pending.add(addAsync(p, batch(tenants, idList)));
                    }
                    long added = 0;
                    for (CompletableFuture<Long> f : pending) {
                        added += await(f);
                    }
                    return added;
                }));
            }
            long totalAdded = 0;
            for (Future<Long> r : results) {
                totalAdded += r.get(60, TimeUnit.SECONDS);
            }

            assertThat(totalAdded).isEqualTo(2L * ids);
            assertThat(count(p, "even")).isEqualTo(ids / 2);
            assertThat(count(p, "odd")).isEqualTo(ids / 2);
            assertThat(count(p, "shared")).isEqualTo(ids);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void count_unknownTenant_isZero() {
        Partition p = store.open(0, OPEN_TIMEOUT);
        add(p, batch("known", "1"));

        assertThat(count(p, "unknown")).isZero();
        assertThat(count(p, "know")).isZero();
        assertThat(count(p, "known1")).isZero();
    }

    @Test
    void count_afterAddCompleted_includesIt() {
        Partition p = store.open(0, OPEN_TIMEOUT);

        for (int i = 0; i < 200; i++) {
            add(p, batch("t", Integer.toString(i)));
            assertThat(count(p, "t")).isEqualTo(i + 1);
        }
    }

    @Test
    void open_samePartitionTwice_returnsOpenPartition() {
        Partition first = store.open(1, OPEN_TIMEOUT);

        assertThat(store.open(1, OPEN_TIMEOUT)).isSameAs(first);
        assertThat(first.id()).isEqualTo(1);
    }

    @Test
    void open_partitionsAreIndependent() {
        assumePartitionsOwnTheirData();
        Partition p0 = store.open(0, OPEN_TIMEOUT);
        Partition p1 = store.open(1, OPEN_TIMEOUT);
        add(p0, batch("t", "1", "t", "2"));
        add(p1, batch("t", "1"));

        assertThat(count(p0, "t")).isEqualTo(2);
        assertThat(count(p1, "t")).isEqualTo(1);
    }

    @Test
    void open_newStoreAfterClose_keepsCounts() {
        Partition p = store.open(5, OPEN_TIMEOUT);
        add(p, batch("t", "1", "t", "2", "u", "1"));
        store.close();
        store = newStore(root, Duration.ofMillis(200));

        Partition reopened = store.open(5, OPEN_TIMEOUT);

        assertThat(count(reopened, "t")).isEqualTo(2);
        assertThat(count(reopened, "u")).isEqualTo(1);
        assertThat(add(reopened, batch("t", "1", "t", "3"))).isEqualTo(1);
        assertThat(count(reopened, "t")).isEqualTo(3);
    }

    @Test
    void open_afterPartitionClose_reopensWithData() {
        Partition p = store.open(0, OPEN_TIMEOUT);
        add(p, batch("t", "1"));
        await(p.close());

        Partition reopened = store.open(0, OPEN_TIMEOUT);

        assertThat(reopened).isNotSameAs(p);
        assertThat(count(reopened, "t")).isEqualTo(1);
    }

    @Test
    void add_afterPartitionClose_failsWithPartitionClosed() {
        Partition p = store.open(0, OPEN_TIMEOUT);
        add(p, batch("t", "1"));
        await(p.close());

        assertFailsWith(addAsync(p, batch("t", "2")), PartitionClosedException.class);
        assertFailsWith(p.count("t"), PartitionClosedException.class);
    }

    @Test
    void count_readersRacingAClose_eachGetsTheCountOrPartitionClosed() throws Exception {
        Partition p = store.open(0, OPEN_TIMEOUT);
        add(p, batch("t", "1", "t", "2"));
        java.util.concurrent.ExecutorService readers = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<List<Object>>> outcomes = new ArrayList<>();
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CountDownLatch reading = new java.util.concurrent.CountDownLatch(4);
            for (int r = 0; r < 4; r++) {
                outcomes.add(readers.submit(() -> {
                    go.await();
                    reading.countDown();
                    List<Object> seen = new ArrayList<>();
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    // Until the close shows, however fast reads are (an in-memory count takes nanoseconds).
                    while (seen.isEmpty() || seen.get(seen.size() - 1) != PartitionClosedException.class) {
                        try {
                            seen.add(p.count("t").get());
                        } catch (ExecutionException e) {
                            seen.add(e.getCause().getClass());
                        }
                        if (System.nanoTime() > deadline) {
                            break;
                        }
                    }
                    return seen;
                }));
            }
            go.countDown();
            reading.await(); // every reader is in its loop: the close races real reads
            await(p.close());

            for (java.util.concurrent.Future<List<Object>> f : outcomes) {
                // Never a crash or another error: the count, until the close, then PartitionClosedException.
                assertThat(f.get(60, TimeUnit.SECONDS))
                        .allMatch(o -> o.equals(2L) || o == PartitionClosedException.class)
                        .endsWith(PartitionClosedException.class);
            }
        } finally {
            readers.shutdownNow();
        }
    }

    @Test
    void close_calledTwice_isHarmless() {
        Partition p = store.open(0, OPEN_TIMEOUT);

        await(p.close());
        await(p.close());

        assertFailsWith(p.count("t"), PartitionClosedException.class);
    }

    @Test
    void close_withQueuedAdds_finishesThemBeforeClosing() {
        Partition p = store.open(0, OPEN_TIMEOUT);
        List<CompletableFuture<Long>> pending = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            pending.add(addAsync(p, batch("t", Integer.toString(i), "t", Integer.toString(i + 1))));
        }

        CompletableFuture<Void> closed = p.close();

        long added = 0;
        for (CompletableFuture<Long> f : pending) {
            added += await(f);
        }
        await(closed);
        assertThat(added).isEqualTo(501);
        assertThat(count(store.open(0, OPEN_TIMEOUT), "t")).isEqualTo(501);
    }

    @Test
    void storeClose_openPartitions_areClosedAndReleased() {
        Partition p = store.open(0, OPEN_TIMEOUT);
        add(p, batch("t", "1"));

        store.close();
        store = null;

        assertFailsWith(p.count("t"), PartitionClosedException.class);
        Partition other = anotherStore(Duration.ofMillis(200)).open(0, Duration.ofMillis(300));
        assertThat(count(other, "t")).isEqualTo(1);
    }

    @Test
    void open_heldByAnotherStore_failsWithStoreExceptionAfterTimeout() {
        assumePartitionsOwnTheirData();
        store.open(0, OPEN_TIMEOUT);
        Store second = anotherStore(Duration.ofMillis(200));

        long start = System.nanoTime();
        assertThatThrownBy(() -> second.open(0, Duration.ofMillis(300)))
                .isInstanceOf(StoreException.class)
                .isNotInstanceOf(PartitionClosedException.class)
                .hasMessageContaining("partition 0");
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(elapsedMs).as("waited for the lock before giving up").isBetween(300L, 5_000L);
    }

    @Test
    void open_heldUntilReleasedWithinTimeout_waitsThenSucceeds() throws Exception {
        assumePartitionsOwnTheirData();
        Partition first = store.open(0, OPEN_TIMEOUT);
        add(first, batch("t", "1", "t", "2"));
        Store second = anotherStore(Duration.ofMillis(200));

        CompletableFuture<Partition> opening = CompletableFuture.supplyAsync(() -> second.open(0, OPEN_TIMEOUT));
        org.awaitility.Awaitility.await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> !opening.isDone()); // still waiting for the lock

        await(first.close());

        Partition taken = opening.get(10, TimeUnit.SECONDS);
        assertThat(count(taken, "t")).isEqualTo(2);
    }

    @Test
    void open_noLongerWanted_givesUpBeforeTimeout() {
        assumePartitionsOwnTheirData();
        store.open(0, OPEN_TIMEOUT);
        Store second = anotherStore(Duration.ofMillis(200));
        AtomicBoolean wanted = new AtomicBoolean(true);
        CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS).execute(() -> wanted.set(false));

        long start = System.nanoTime();
        assertThatThrownBy(() -> second.open(0, Duration.ofSeconds(30), wanted::get))
                .isInstanceOf(StoreException.class);

        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(10_000L);
    }

    @Test
    void add_persistIntervalZero_syncsEveryWriteAndKeepsCounts() {
        store.close();
        store = newStore(root, Duration.ZERO);
        Partition p = store.open(0, OPEN_TIMEOUT);

        for (int i = 0; i < 50; i++) {
            assertThat(add(p, batch("t", Integer.toString(i), "t", "0"))).isEqualTo(1);
        }
        assertThat(count(p, "t")).isEqualTo(50);
        store.close();
        store = newStore(root, Duration.ZERO);

        assertThat(count(store.open(0, OPEN_TIMEOUT), "t")).isEqualTo(50);
    }

    @Test
    void setPersistInterval_switchedWhileOpen_keepsAcceptingWrites() {
        Partition p = store.open(0, OPEN_TIMEOUT);
        add(p, batch("t", "1"));

        store.setPersistInterval(Duration.ZERO);
        assertThat(add(p, batch("t", "2"))).isEqualTo(1);
        store.setPersistInterval(Duration.ofMillis(50));
        assertThat(add(p, batch("t", "3", "t", "1"))).isEqualTo(1);

        assertThat(count(p, "t")).isEqualTo(3);
    }

    // ---------------------------------------------------------------- erasure

    @Test
    void erase_storedPair_removesOnlyItAndAnswersOne() {
        Partition p = store.open(0, OPEN_TIMEOUT);
        add(p, batch("t", "1", "t", "2", "t", "3", "u", "2"));

        assertThat(erased(p.erase("t", "2"))).isEqualTo(1);

        assertThat(count(p, "t")).isEqualTo(2);
        assertThat(count(p, "u")).isEqualTo(1);
        assertThat(add(p, batch("t", "1", "t", "3"))).as("the others are still stored").isZero();
        assertThat(add(p, batch("t", "2"))).as("the erased pair is new again").isEqualTo(1);
        assertThat(count(p, "t")).isEqualTo(3);
    }

    @Test
    void erase_absentPairOrTenant_answersZeroAndChangesNothing() {
        Partition p = store.open(0, OPEN_TIMEOUT);
        add(p, batch("t", "1", "t", "2"));

        assertThat(erased(p.erase("t", "9"))).isZero();
        assertThat(erased(p.erase("t", "1x"))).isZero();
        assertThat(erased(p.erase("nobody", "1"))).isZero();

        assertThat(count(p, "t")).isEqualTo(2);
        assertThat(count(p, "nobody")).isZero();
    }

    @Test
    void erase_samePairTwice_secondAnswersZero() {
        Partition p = store.open(0, OPEN_TIMEOUT);
        add(p, batch("t", "1", "t", "2"));

        assertThat(erased(p.erase("t", "1"))).isEqualTo(1);
        assertThat(erased(p.erase("t", "1"))).isZero();

        assertThat(count(p, "t")).isEqualTo(1);
    }

    @Test
    void eraseTenant_storedTenant_removesEveryPairAndAnswersHowMany() {
        Partition p = store.open(0, OPEN_TIMEOUT);
        List<String> tenants = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            tenants.add("big");
            ids.add(Integer.toString(i));
        }
        add(p, batch(tenants, ids));
        add(p, batch("other", "1", "bi", "g1"));

        assertThat(erased(p.eraseTenant("big"))).isEqualTo(1_000);

        assertThat(count(p, "big")).isZero();
        assertThat(await(p.ids("big", null, 100)).ids()).isEmpty();
        assertThat(count(p, "other")).as("another tenant").isEqualTo(1);
        assertThat(count(p, "bi")).as("a tenant whose name is a prefix").isEqualTo(1);
        assertThat(add(p, batch("big", "1", "big", "1000"))).as("every pair is new again").isEqualTo(2);
    }

    @Test
    void eraseTenant_twiceOrUnknown_answersZero() {
        Partition p = store.open(0, OPEN_TIMEOUT);
        add(p, batch("t", "1", "t", "2"));

        assertThat(erased(p.eraseTenant("t"))).isEqualTo(2);
        assertThat(erased(p.eraseTenant("t"))).isZero();
        assertThat(erased(p.eraseTenant("nobody"))).isZero();
        assertThat(erased(p.erase("t", "1"))).as("a pair of an erased tenant").isZero();

        assertThat(count(p, "t")).isZero();
    }

    @Test
    void eraseTenant_countsExport_listsOnlyTheTenantsLeft() {
        Partition p = store.open(0, OPEN_TIMEOUT);
        add(p, batch("gone", "1", "gone", "2", "kept", "1", "halved", "1", "halved", "2"));

        erased(p.eraseTenant("gone"));
        erased(p.erase("halved", "2"));

        assertThat(exportCounts(p, Window.ALL)).containsExactlyInAnyOrderEntriesOf(Map.of("kept", 1L, "halved", 1L));
    }

    @Test
    void erase_thenReopenedStore_staysErased() {
        Partition p = store.open(3, OPEN_TIMEOUT);
        add(p, batch("t", "1", "t", "2", "u", "1", "u", "2"));
        erased(p.erase("t", "1"));
        erased(p.eraseTenant("u"));
        store.close();
        store = newStore(root, Duration.ofMillis(200));

        Partition reopened = store.open(3, OPEN_TIMEOUT);

        assertThat(count(reopened, "t")).isEqualTo(1);
        assertThat(count(reopened, "u")).isZero();
        assertThat(add(reopened, batch("t", "1", "t", "2", "u", "1"))).isEqualTo(2);
    }

    /**
     * Windows after erasure: a pair erased leaves every day and month that held it, and the union of days
     * is recounted without it; a tenant erased leaves every window empty, after a reopening too.
     */
    @Test
    void erase_pairAndTenantWithWindows_everyWindowCountsWithoutThem() {
        // The 15th of next month: a day and the day before share a month, and Redis (which expires window
        // sets by its own clock) keeps them for the whole test.
        LocalDate fifteenth = LocalDate.now(ZoneOffset.UTC).plusMonths(1).withDayOfMonth(15);
        int today = (int) fifteenth.toEpochDay();
        Clock clock = Clock.fixed(Instant.ofEpochSecond(today * 86_400L + 12 * 3_600), ZoneOffset.UTC);
        Retention windows = new Retention(35, 13);
        Path windowedRoot = root.resolve("windowed");
        Store windowed = newStore(windowedRoot, windows, clock);
        extraStores.add(windowed);
        Partition p = windowed.open(0, OPEN_TIMEOUT);
        int yesterday = today - 1;
        Window thisMonth = Window.month(Window.monthOfDay(today));
        Window bothDays = Window.days(yesterday, today);
        await(p.add(ItemBatch.of(new String[] {"w", "w", "w", "w", "x"}, new String[] {"1", "2", "1", "3", "1"},
                new int[] {today, today, yesterday, yesterday, today}), new int[] {0, 1, 2, 3, 4}, 5));
        assertThat(windowCounts(p, "w", today, thisMonth, bothDays)).containsExactly(3L, 2L, 2L, 3L, 3L);

        assertThat(erased(p.erase("w", "1"))).isEqualTo(1);

        assertThat(windowCounts(p, "w", today, thisMonth, bothDays)).containsExactly(2L, 1L, 1L, 2L, 2L);
        assertThat(exportCounts(p, Window.day(yesterday))).containsExactlyEntriesOf(Map.of("w", 1L));

        assertThat(erased(p.eraseTenant("w"))).isEqualTo(2);

        assertThat(windowCounts(p, "w", today, thisMonth, bothDays)).containsExactly(0L, 0L, 0L, 0L, 0L);
        assertThat(windowCounts(p, "x", today, thisMonth, bothDays)).as("another tenant").containsExactly(1L, 1L, 0L, 1L, 1L);
        assertThat(exportCounts(p, thisMonth)).containsExactlyEntriesOf(Map.of("x", 1L));
        windowed.close();
        Store reopened = newStore(windowedRoot, windows, clock);
        extraStores.add(reopened);
        assertThat(windowCounts(reopened.open(0, OPEN_TIMEOUT), "w", today, thisMonth, bothDays))
                .containsExactly(0L, 0L, 0L, 0L, 0L);
    }

    /** What an erasure answered; the case is skipped on an engine that cannot erase (format 1). */
    private static long erased(CompletableFuture<Long> erasure) {
        try {
            return erasure.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof NotSupportedException) {
                return org.junit.jupiter.api.Assumptions.abort("this engine cannot erase");
            }
            throw new AssertionError(e.getCause());
        } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
            throw new AssertionError(e);
        }
    }

    /** All time, today, yesterday, the month, the union of both days. */
    private static List<Long> windowCounts(Partition p, String tenant, int today, Window month, Window bothDays) {
        return List.of(await(p.count(tenant, Window.ALL)), await(p.count(tenant, Window.day(today))),
                await(p.count(tenant, Window.day(today - 1))), await(p.count(tenant, month)),
                await(p.count(tenant, bothDays)));
    }

    /** The whole counts export of {@code window}, in chunks of 2. */
    private static Map<String, Long> exportCounts(Partition p, Window window) {
        Map<String, Long> seen = new java.util.HashMap<>();
        CountCursor cursor = p.counts(window);
        for (List<TenantCount> chunk = await(cursor.next(2)); !chunk.isEmpty(); chunk = await(cursor.next(2))) {
            for (TenantCount c : chunk) {
                assertThat(seen.put(c.tenant(), c.count())).as("listed once: %s", c.tenant()).isNull();
            }
        }
        return seen;
    }

    /**
     * The child JVM acknowledges every add and is then SIGKILLed without closing anything: what it
     * acknowledged must survive, even with worker_persist 5 s (no fsync in between): a process crash
     * loses nothing that reached the write-ahead log.
     */
    @ParameterizedTest(name = "worker_persist {0} ms")
    @ValueSource(ints = {5_000, 0})
    void open_afterWriterProcessKilled_keepsEveryAcknowledgedItem(int persistMillis) throws Exception {
        assumePartitionsOwnTheirData();
        store.close();
        store = null;
        int n = 300;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-Dcountapp.log.level=WARN",
                "-cp", System.getProperty("java.class.path"), CrashingWriter.class.getName(),
                engine(), root.toString(), Integer.toString(n), Integer.toString(persistMillis))
                .redirectErrorStream(true);
        Process child = builder.start();
        List<String> output = Collections.synchronizedList(new ArrayList<>());
        try {
            CompletableFuture<String> acked = CompletableFuture.supplyAsync(() -> {
                try (BufferedReader out = new BufferedReader(
                        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = out.readLine()) != null) {
                        output.add(line);
                        if (line.startsWith("ACKED ")) {
                            return line;
                        }
                    }
                    return null;
                } catch (IOException e) {
                    return null;
                }
            });
            String line = acked.get(60, TimeUnit.SECONDS);
            assertThat(line).as("child output: %s", output).isEqualTo("ACKED " + n);
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(137);

        store = newStore(root, Duration.ofMillis(200));
        Partition p = store.open(0, OPEN_TIMEOUT);

        assertThat(count(p, "t")).isEqualTo(n);
        assertThat(add(p, batch("t", "0", "t", Integer.toString(n - 1)))).isZero();
    }
}
