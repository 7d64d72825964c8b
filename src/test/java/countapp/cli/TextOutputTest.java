package countapp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TextOutputTest {
    @Test
    void textTable_columns_alignedToTheWidestCellIgnoringColourCodes() {
        StringWriter text = new StringWriter();

        TextTable.print(new PrintWriter(text), List.of("WORKER", "STATE"),
                List.of(List.of("http://localhost:5001", "\u001b[32mlive\u001b[0m"), List.of("x", "down")));

        assertThat(text.toString().split("\n")).containsExactly(
                "WORKER                 STATE",
                "http://localhost:5001  \u001b[32mlive\u001b[0m",
                "x                      down");
    }

    @Test
    void progress_notATerminal_firstLineAtOnceThenThrottled() {
        StringWriter text = new StringWriter();
        AtomicLong clock = new AtomicLong();
        Progress progress = new Progress(new PrintWriter(text), false, 1000, clock::get);

        clock.set(2_000_000_000L);
        progress.update(1000, 900, 250);
        clock.set(3_000_000_000L);
        progress.update(2000, 1800, 500);
        clock.set(8_000_000_000L);
        progress.update(3000, 2700, 1000);
        progress.finish();

        assertThat(text.toString().split("\n")).containsExactly(
                "posting: 1,000 items sent (25%), 900 new, 500 items/s",
                "posting: 3,000 items sent (100%), 2,700 new, 375 items/s");
    }

    @Test
    void progress_terminal_redrawsOneLine() {
        StringWriter text = new StringWriter();
        AtomicLong clock = new AtomicLong();
        Progress progress = new Progress(new PrintWriter(text), true, -1, clock::get);

        clock.set(1_000_000_000L);
        progress.update(10, 10, 0);
        progress.finish();

        assertThat(text.toString()).isEqualTo("\r\u001b[2Kposting: 10 items sent, 10 new, 10 items/s" + System.lineSeparator());
    }

    @Test
    void statusDuration_seconds_humanUnits() {
        assertThat(StatusCommand.duration(null)).isEqualTo("-");
        assertThat(StatusCommand.duration(59.9)).isEqualTo("59s");
        assertThat(StatusCommand.duration(125.0)).isEqualTo("2m5s");
        assertThat(StatusCommand.duration(7260.0)).isEqualTo("2h1m");
        assertThat(StatusCommand.duration(90_000.0)).isEqualTo("1d1h");
    }

    @Test
    void tenantPath_anyTenant_oneEncodedPathSegment() {
        assertThat(ApiClient.tenantPath("a b/c+d", "/count")).isEqualTo("/items/a%20b%2Fc%2Bd/count");
        assertThat(ApiClient.tenantPath("ü", "/ids")).isEqualTo("/items/%C3%BC/ids");
    }
}
