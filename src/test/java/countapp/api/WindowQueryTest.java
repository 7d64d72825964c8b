package countapp.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import countapp.model.Window;
import java.time.LocalDate;
import java.time.YearMonth;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WindowQueryTest {
    static int day(String date) {
        return (int) LocalDate.parse(date).toEpochDay();
    }

    @Test
    void count_eachForm_readsItsWindow() {
        assertThat(WindowQuery.count(null)).isEqualTo(Window.ALL);
        assertThat(WindowQuery.count("")).isEqualTo(Window.ALL);
        assertThat(WindowQuery.count("window=day&at=2026-11-28")).isEqualTo(Window.day(day("2026-11-28")));
        assertThat(WindowQuery.count("window=month&at=2026-11")).isEqualTo(Window.month(Window.epochMonth(YearMonth.of(2026, 11))));
        assertThat(WindowQuery.count("from=2026-11-01&to=2026-11-28"))
                .isEqualTo(Window.days(day("2026-11-01"), day("2026-11-28")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"window=day", "at=2026-11-28", "window=week&at=2026-11-28", "window=day&at=2026-11",
        "window=month&at=2026-11-28", "window=day&at=2026-02-30", "from=2026-11-01", "from=2026-11-02&to=2026-11-01",
        "from=2025-01-01&to=2026-11-01", "window=day&at=2026-11-28&from=2026-11-01&to=2026-11-02", "at=1&at=2",
        "window=day&at=2026-11-28&tenant=x", "window=day&at=%ZZ"})
    void count_badQuery_400SayingWhatIsExpected(String query) {
        assertThatThrownBy(() -> WindowQuery.count(query)).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.status()).isEqualTo(400));
    }

    @Test
    void export_runOfDays_refused() {
        assertThatThrownBy(() -> WindowQuery.export("from=2026-11-01&to=2026-11-02")).isInstanceOf(ApiException.class)
                .hasMessageContaining("one day or one month");
    }

    @Test
    void answerAndQuery_roundTripEveryForm() {
        for (String q : new String[] {"", "window=day&at=2026-11-28", "window=month&at=2026-11", "from=2026-11-01&to=2026-11-07"}) {
            assertThat(WindowQuery.query(WindowQuery.count(q))).isEqualTo(q);
        }
        assertThat(WindowQuery.answer(3, WindowQuery.count("from=2026-11-01&to=2026-11-07")))
                .isEqualTo("{\"count\":3,\"from\":\"2026-11-01\",\"to\":\"2026-11-07\"}");
        assertThat(WindowQuery.answer(3, Window.ALL)).isEqualTo("{\"count\":3}");
    }
}
