package countapp.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CountWindowTest {
    @Test
    void of_noOption_allTimeWithNoQuery() throws Exception {
        CountWindow w = CountWindow.of(null, null, null, null);

        assertThat(w.allTime()).isTrue();
        assertThat(w.query()).isEmpty();
        assertThat(w.label()).isEqualTo("all time");
    }

    @Test
    void of_dayWindow_queryWithWindowAndAt() throws Exception {
        CountWindow w = CountWindow.of("day", "2026-11-28", null, null);

        assertThat(w.query()).isEqualTo("?window=day&at=2026-11-28");
        assertThat(w.label()).isEqualTo("day 2026-11-28");
    }

    @Test
    void of_monthWindowInCapitals_normalisedQuery() throws Exception {
        CountWindow w = CountWindow.of("MONTH", " 2026-11 ", null, null);

        assertThat(w.query()).isEqualTo("?window=month&at=2026-11");
        assertThat(w.label()).isEqualTo("month 2026-11");
    }

    @Test
    void of_fromTo_inclusiveRangeQuery() throws Exception {
        CountWindow w = CountWindow.of(null, null, "2026-11-01", "2026-11-07");

        assertThat(w.query()).isEqualTo("?from=2026-11-01&to=2026-11-07");
        assertThat(w.label()).isEqualTo("2026-11-01..2026-11-07");
    }

    @Test
    void of_fromEqualsTo_oneDayRangeAccepted() throws Exception {
        assertThat(CountWindow.of(null, null, "2026-11-01", "2026-11-01").query()).isEqualTo("?from=2026-11-01&to=2026-11-01");
    }

    @ParameterizedTest(name = "{0} {1} {2} {3}")
    @CsvSource(nullValues = "-", delimiter = '|', value = {
        "day   | 2026-11     | -          | -          | --at must be a UTC day as YYYY-MM-DD, got \"2026-11\"",
        "day   | 2026-02-30  | -          | -          | --at must be a UTC day as YYYY-MM-DD",
        "day   | 28/11/2026  | -          | -          | --at must be a UTC day as YYYY-MM-DD",
        "month | 2026-11-28  | -          | -          | --at must be a UTC month as YYYY-MM with --window month",
        "month | 2026-13     | -          | -          | --at must be a UTC month as YYYY-MM",
        "week  | 2026-11-28  | -          | -          | --window must be day or month, got \"week\"",
        "day   | -           | -          | -          | --window day needs --at YYYY-MM-DD",
        "month | -           | -          | -          | --window month needs --at YYYY-MM",
        "-     | 2026-11-28  | -          | -          | --at needs --window day or --window month",
        "-     | -           | 2026-11-01 | -          | --from and --to go together",
        "-     | -           | -          | 2026-11-07 | --from and --to go together",
        "-     | -           | 2026-11-08 | 2026-11-07 | --from 2026-11-08 is after --to 2026-11-07",
        "-     | -           | 2026-11-1  | 2026-11-07 | --from must be a UTC day as YYYY-MM-DD, got \"2026-11-1\"",
        "-     | -           | 2026-11-01 | tomorrow   | --to must be a UTC day as YYYY-MM-DD, got \"tomorrow\"",
        "day   | 2026-11-28  | 2026-11-01 | 2026-11-07 | give either --window with --at, or --from with --to, not both",
    })
    void of_badOptions_usageErrorNamingTheProblem(String window, String at, String from, String to, String message) {
        assertThatThrownBy(() -> CountWindow.of(window, at, from, to))
                .isInstanceOf(CliException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(((CliException) e).exitCode()).isEqualTo(2));
    }
}
