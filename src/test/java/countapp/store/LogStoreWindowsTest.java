package countapp.store;

import static countapp.store.StoreFixtures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import countapp.model.ItemBatch;
import countapp.model.Retention;
import countapp.model.Window;
import countapp.store.log.LogStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The log store's windows and erasure beyond the model property: disk, export, late items, listings. */
class LogStoreWindowsTest {
    static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
    static final int TODAY = Window.dayOfMillis(NOW.toEpochMilli());

    @TempDir
    Path root;
    MutableClock clock;
    LogStore store;
    final AtomicLong late = new AtomicLong();

    @BeforeEach
    void open() {
        clock = new MutableClock(NOW);
        store = open(new Retention(35, 13));
    }

    LogStore open(Retention retention) {
        return LogStore.builder(root, 1, 5, 6).persistInterval(Duration.ofMillis(100)).listener(new StoreListener() {
            @Override
            public void lateItems(long items) {
                late.addAndGet(items);
            }
        }).windows(retention, clock).build();
    }

    @AfterEach
    void close() {
        store.close();
    }

    static ItemBatch items(String tenant, int day, String... ids) {
        String[] tenants = new String[ids.length];
        int[] days = new int[ids.length];
        java.util.Arrays.fill(tenants, tenant);
        java.util.Arrays.fill(days, day);
        return ItemBatch.of(tenants, ids, days);
    }

    Partition partition() {
        return store.open(0, StoreFixtures.OPEN_TIMEOUT);
    }

    @Test
    void expiry_monthPastRetention_itsFolderIsDeletedWithoutAReplay() throws Exception {
        Partition p = partition();
        int oldDay = TODAY - 30; // 2026-10-29: October's bucket
        StoreFixtures.add(p, items("t", oldDay, "a", "b"));
        Path october = root.resolve("0/log/windows").resolve(Integer.toString(Window.monthOfDay(oldDay)));
        assertThat(october).isDirectory();
        assertThat(await(p.count("t", Window.day(oldDay)))).isEqualTo(2);

        clock.advance(Duration.ofDays(400)); // past 13 months and 35 days
        store.expireWindows();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(october));
        assertThat(await(p.count("t"))).as("all time keeps them").isEqualTo(2);
        assertThatThrownBy(() -> await(p.count("t", Window.day(oldDay))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not kept");
    }

    @Test
    void add_olderThanEveryKeptWindow_countsAllTimeOnlyAndIsReportedLate() {
        Partition p = partition();
        int ancient = TODAY - 500;
        assertThat(StoreFixtures.add(p, items("t", ancient, "a", "b"))).isEqualTo(2);
        assertThat(late.get()).isEqualTo(2);
        assertThat(StoreFixtures.count(p, "t")).isEqualTo(2);
        assertThat(await(p.count("t", Window.month(Window.monthOfDay(TODAY))))).isZero();
    }

    @Test
    void counts_thousandsOfTenants_eachListedOnceAndErasedOnesLeftOut() {
        Partition p = partition();
        for (int t = 0; t < 2500; t++) {
            StoreFixtures.add(p, items("tenant-" + t, TODAY, "x", "y" + t % 3));
        }
        await(p.eraseTenant("tenant-7"));
        for (Window w : List.of(Window.ALL, Window.day(TODAY), Window.month(Window.monthOfDay(TODAY)))) {
            CountCursor cursor = p.counts(w);
            Set<String> seen = new HashSet<>();
            for (List<TenantCount> chunk = await(cursor.next(100)); !chunk.isEmpty(); chunk = await(cursor.next(100))) {
                assertThat(chunk).hasSizeLessThanOrEqualTo(100);
                for (TenantCount c : chunk) {
                    assertThat(seen.add(c.tenant())).as("%s listed once in %s", c.tenant(), w).isTrue();
                    assertThat(c.count()).isEqualTo(2);
                }
            }
            assertThat(seen).hasSize(2499).doesNotContain("tenant-7");
        }
    }

    @Test
    void ids_afterAnErasure_leaveTheErasedIdOut_alsoAfterARestart() {
        Partition p = partition();
        StoreFixtures.add(p, items("t", TODAY, "a", "b", "c"));
        assertThat(await(p.erase("t", "b"))).isEqualTo(1);
        assertThat(await(p.erase("t", "b"))).as("idempotent").isZero();
        assertThat(ids(p, "t")).containsExactlyInAnyOrder("a", "c");
        store.close();
        store = open(new Retention(35, 13));
        Partition reopened = partition();
        assertThat(ids(reopened, "t")).containsExactlyInAnyOrder("a", "c");
        assertThat(StoreFixtures.count(reopened, "t")).isEqualTo(2);
        assertThat(await(reopened.count("t", Window.day(TODAY)))).isEqualTo(2);
    }

    @Test
    void add_afterErasingTheOnlyPairOfATenantsDay_countsInThatDayAgain() {
        Partition p = partition();
        String tenant = "t";
        StoreFixtures.add(p, items(tenant, TODAY, "a"));
        assertThat(await(p.erase(tenant, "a"))).isEqualTo(1);
        StoreFixtures.add(p, items(tenant, TODAY, "b")); // the same tenant and day as the erased pair
        assertThat(await(p.count(tenant, Window.day(TODAY)))).isEqualTo(1);
        assertThat(await(p.count(tenant, Window.month(Window.monthOfDay(TODAY))))).isEqualTo(1);
    }

    @Test
    void windowCount_windowsOff_isRefusedNamingTheSetting() {
        store.close();
        store = open(Retention.NONE);
        Partition p = partition();
        StoreFixtures.add(p, items("t", TODAY, "a"));
        assertThatThrownBy(() -> await(p.count("t", Window.day(TODAY))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("windows are off");
    }

    static List<String> ids(Partition p, String tenant) {
        List<String> all = new ArrayList<>();
        String cursor = null;
        do {
            IdChunk chunk = await(p.ids(tenant, cursor, 2));
            all.addAll(chunk.ids());
            cursor = chunk.next();
        } while (cursor != null);
        return all;
    }
}
