package countapp.client;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The period a count covers: all time, one UTC day, one UTC month, or a run of UTC days (both ends included; an
 * id seen on several of the days counts once). Day and month windows need the deployment's {@code windows}
 * setting; one it does not keep answers 400.
 */
public final class Window {
    private enum Kind { ALL_TIME, DAY, MONTH, DAYS }

    private static final Window ALL_TIME = new Window(Kind.ALL_TIME, "");

    private final Kind kind;
    private final String query;

    private Window(Kind kind, String query) {
        this.kind = kind;
        this.query = query;
    }

    public static Window allTime() {
        return ALL_TIME;
    }

    public static Window day(LocalDate day) {
        return new Window(Kind.DAY, "?window=day&at=" + day);
    }

    public static Window month(YearMonth month) {
        return new Window(Kind.MONTH, "?window=month&at=" + month);
    }

    /** The days from {@code from} to {@code to}, both included. */
    public static Window days(LocalDate from, LocalDate to) {
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("a run of days ends on or after its first day: " + from + " to " + to);
        }
        return new Window(Kind.DAYS, "?from=" + from + "&to=" + to);
    }

    /** The query string of the count request ("" for all time). */
    String countQuery() {
        return query;
    }

    /** The query string of {@code GET /counts}, which exports all time, a day or a month, never a run of days. */
    String exportQuery() {
        switch (kind) {
            case ALL_TIME:
            case DAY:
            case MONTH:
                return query;
            case DAYS:
                throw new IllegalArgumentException("an export covers all time, a day or a month, not a run of days ("
                        + this + ")");
        }
        throw new AssertionError(kind);
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof Window && ((Window) o).kind == kind && ((Window) o).query.equals(query);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, query);
    }

    @Override
    public String toString() {
        return kind == Kind.ALL_TIME ? "all time" : query.substring(1);
    }
}
