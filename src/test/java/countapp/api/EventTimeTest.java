package countapp.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import countapp.model.ItemBatch;
import countapp.model.Limits;
import countapp.model.Window;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** An item's {@code ts}: the day it counts in, and the refusals, exact by a fixed clock. */
class EventTimeTest {
    static final Instant NOW = Instant.parse("2026-11-28T23:58:00Z");
    final ItemParser parser = new ItemParser(Limits.DEFAULT, Clock.fixed(NOW, ZoneOffset.UTC));

    ItemBatch parse(String body) {
        return parser.parse(body.getBytes(StandardCharsets.UTF_8));
    }

    ApiException refusal(String body) {
        ApiException e = catchThrowableOfType(ApiException.class, () -> parse(body));
        assertThat(e).as("refused: %s", body).isNotNull();
        assertThat(e.status()).isEqualTo(400);
        return e;
    }

    static int day(String date) {
        return (int) java.time.LocalDate.parse(date).toEpochDay();
    }

    @Test
    void parse_tsAsTextOrMillisOrAbsent_givesEachItemItsUtcDay() {
        ItemBatch b = parse("[{\"id\":\"1\",\"tenant\":\"t\",\"ts\":\"2026-11-27T23:30:00-02:00\"},"
                + "{\"id\":\"2\",\"tenant\":\"t\",\"ts\":" + Instant.parse("2026-11-01T00:00:00Z").toEpochMilli() + "},"
                + "{\"id\":\"3\",\"tenant\":\"t\"},"
                + "{\"id\":\"4\",\"tenant\":\"t\",\"ts\":\"2026-11-28T10:00:00.123Z\"}]");
        assertThat(b.day(0)).as("23:30 at -02:00 is 01:30 UTC the next day").isEqualTo(day("2026-11-28"));
        assertThat(b.day(1)).isEqualTo(day("2026-11-01"));
        assertThat(b.day(2)).as("no ts: the arrival").isEqualTo(Window.dayOfMillis(NOW.toEpochMilli()));
        assertThat(b.day(3)).isEqualTo(day("2026-11-28"));
    }

    @Test
    void parse_tsFiveMinutesAhead_acceptedAndCountsTomorrow_oneMillisecondMoreRefused() {
        long limit = NOW.toEpochMilli() + ItemParser.MAX_FUTURE_MILLIS;
        assertThat(parse("[{\"id\":\"1\",\"tenant\":\"t\",\"ts\":" + limit + "}]").day(0)).isEqualTo(day("2026-11-29"));
        assertThat(refusal("[{\"id\":\"0\",\"tenant\":\"t\"},{\"id\":\"1\",\"tenant\":\"t\",\"ts\":" + (limit + 1) + "}]")
                .getMessage()).isEqualTo("item 1: \"ts\" is more than 5 minutes in the future");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"yesterday\"", "\"2026-11-28\"", "\"2026-11-28T10:00:00\"", "1.5", "true", "null", "[]", "{}",
        "-1", "99999999999999999999", "\"2026-13-01T00:00:00Z\""})
    void parse_badTs_refusedNamingTheItem(String ts) {
        assertThat(refusal("[{\"id\":\"1\",\"tenant\":\"t\",\"ts\":" + ts + "}]").getMessage()).startsWith("item 0: \"ts\"");
    }

    @Test
    void parse_tsGivenTwice_refused() {
        assertThat(refusal("[{\"id\":\"1\",\"tenant\":\"t\",\"ts\":1,\"ts\":2}]").getMessage()).contains("duplicate field \"ts\"");
    }
}
