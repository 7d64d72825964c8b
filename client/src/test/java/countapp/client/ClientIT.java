package countapp.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import countapp.client.example.QuickStart;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Every operation of the client against a real coordinator and its workers, with day and month windows kept. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientIT {
    private LiveCluster cluster;
    private CountAppClient client;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        cluster = LiveCluster.start(dir, 2, "windows: {day: 35, month: 13}\n");
        client = cluster.client().build();
    }

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void addAndCount_allTimeDayMonthAndRunOfDays_countedAsTheServerDoes() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Instant yesterday = now.minus(1, ChronoUnit.DAYS);
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);

        Added first = client.add(List.of(Item.of("win", "a", now), Item.of("win", "b", yesterday),
                Item.of("win", "a", yesterday)));
        Added again = client.add(List.of(Item.of("win", "a"), Item.of("win", "c")));

        assertThat(first).isEqualTo(new Added(3, 2));
        assertThat(again).isEqualTo(new Added(2, 1));
        assertThat(client.count("win")).isEqualTo(3);
        assertThat(client.count("win", Window.day(today))).isEqualTo(2); // a, and c at its arrival
        assertThat(client.count("win", Window.day(today.minusDays(1)))).isEqualTo(2); // a and b
        assertThat(client.count("win", Window.days(today.minusDays(1), today))).isEqualTo(3);
        assertThat(client.count("win", Window.month(YearMonth.from(today)))).isGreaterThanOrEqualTo(2);
        assertThat(client.count("nobody-here")).isZero();
    }

    @Test
    void ids_tenantWithSlashAndSpace_everyIdStreamed() {
        client.add(List.of(Item.of("a/b c", "2"), Item.of("a/b c", "1"), Item.of("a/b c", "../x")));

        try (Stream<Item> ids = client.ids("a/b c")) {
            assertThat(ids.collect(Collectors.toList())).containsExactlyInAnyOrder(Item.of("a/b c", "../x"),
                    Item.of("a/b c", "1"), Item.of("a/b c", "2"));
        }
    }

    @Test
    void export_allTimeAndToday_everyTenantWithItsCount() {
        client.add(List.of(Item.of("exp-1", "x"), Item.of("exp-2", "x"), Item.of("exp-2", "y")));
        LocalDate today = LocalDate.now(ZoneOffset.UTC);

        try (Stream<TenantCount> all = client.export(); Stream<TenantCount> day = client.export(Window.day(today))) {
            assertThat(all.collect(Collectors.toList())).contains(new TenantCount("exp-1", 1), new TenantCount("exp-2", 2));
            assertThat(day.collect(Collectors.toList())).contains(new TenantCount("exp-2", 2));
        }
    }

    @Test
    void erase_pairThenTenant_goneFromEveryCount() {
        client.add(List.of(Item.of("gone", "1"), Item.of("gone", "2"), Item.of("gone", "3")));

        assertThat(client.erase("gone", "2")).isEqualTo(1);
        assertThat(client.erase("gone", "2")).isZero(); // idempotent
        assertThat(client.count("gone")).isEqualTo(2);
        assertThat(client.count("gone", Window.day(LocalDate.now(ZoneOffset.UTC)))).isEqualTo(2);
        assertThat(client.eraseTenant("gone")).isEqualTo(2);
        assertThat(client.count("gone")).isZero();
    }

    @Test
    void statusAndHealth_workersWithPidsAndSettled() {
        Status status = client.status();

        assertThat(status.settled()).isTrue();
        assertThat(client.health().settled()).isTrue();
        assertThat(status.workers()).hasSize(2).allSatisfy(w -> {
            assertThat(w.state()).isEqualTo("live");
            assertThat(w.pid()).isPresent();
            assertThat(ProcessHandle.of(w.pid().getAsLong())).isPresent();
        });
        assertThat(status.workers().stream().mapToInt(w -> w.partitions().size()).sum())
                .isEqualTo(status.json().path("partition_table").size());
    }

    @Test
    void add_invalidItem_typed400NamingTheItemAndNothingStored() {
        assertThatThrownBy(() -> client.add(List.of(Item.of("bad", "ok"), Item.of("bad", ""))))
                .isInstanceOfSatisfying(CountAppException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.error()).startsWith("item 1:");
                    assertThat(e.body()).contains("\"index\":1");
                    assertThat(e.attempts()).isEqualTo(1);
                });
        assertThat(client.count("bad")).isZero();
    }

    @Test
    void count_windowNotKept_typed400SayingWhatIsKept() {
        assertThatThrownBy(() -> client.count("win", Window.day(LocalDate.now(ZoneOffset.UTC).minusDays(400))))
                .isInstanceOfSatisfying(CountAppException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.error()).isNotBlank();
                });
    }

    @Test
    void readmeExample_runsAgainstACluster() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        QuickStart.run(cluster.url(), new PrintStream(out, true, StandardCharsets.UTF_8));

        assertThat(out.toString(StandardCharsets.UTF_8).lines().collect(Collectors.toList()))
                .startsWith("Added[received=3, added=2]", "1").contains("acme 1", "globex 1").endsWith("1");
    }
}
