package countapp.model;

import java.time.LocalDate;
import java.time.YearMonth;

/**
 * What a count covers: all time, one UTC calendar month, or a run of UTC days (one day when {@code from ==
 * to}). Days are epoch days (1970-01-01 is 0); months are epoch months (1970-01 is 0), so both are plain
 * ints that compare and subtract like the calendar.
 *
 * @param unit what {@code from} and {@code to} count
 * @param from the first day or month, inclusive (0 for {@link Unit#ALL})
 * @param to the last day or month, inclusive (0 for {@link Unit#ALL})
 */
public record Window(Unit unit, int from, int to) {
    public enum Unit { ALL, DAY, MONTH }

    public static final Window ALL = new Window(Unit.ALL, 0, 0);
    private static final int EPOCH_YEAR = 1970;

    public Window {
        if (unit == Unit.ALL ? from != 0 || to != 0 : from > to) {
            throw new IllegalArgumentException("not a window: " + unit + " " + from + ".." + to);
        }
        if (unit == Unit.MONTH && from != to) {
            throw new IllegalArgumentException("a month window covers one month");
        }
    }

    public static Window day(int epochDay) {
        return new Window(Unit.DAY, epochDay, epochDay);
    }

    public static Window days(int fromDay, int toDay) {
        return new Window(Unit.DAY, fromDay, toDay);
    }

    public static Window month(int epochMonth) {
        return new Window(Unit.MONTH, epochMonth, epochMonth);
    }

    /** The epoch month a day falls in. */
    public static int monthOfDay(int epochDay) {
        LocalDate d = LocalDate.ofEpochDay(epochDay);
        return (d.getYear() - EPOCH_YEAR) * 12 + d.getMonthValue() - 1;
    }

    /** The epoch day of a UTC instant in milliseconds. */
    public static int dayOfMillis(long epochMillis) {
        return (int) Math.floorDiv(epochMillis, 86_400_000L);
    }

    public static int epochMonth(YearMonth month) {
        return (month.getYear() - EPOCH_YEAR) * 12 + month.getMonthValue() - 1;
    }

    public static YearMonth yearMonth(int epochMonth) {
        return YearMonth.of(EPOCH_YEAR + Math.floorDiv(epochMonth, 12), Math.floorMod(epochMonth, 12) + 1);
    }

    /** One day, or one month: a window the store keeps as one set (a range of days is a union of these). */
    public boolean single() {
        return unit == Unit.ALL || from == to;
    }

    /** As the API names it: "all time", "day 2026-11-28", "month 2026-11", "days 2026-11-01..2026-11-07". */
    @Override
    public String toString() {
        return switch (unit) {
            case ALL -> "all time";
            case MONTH -> "month " + yearMonth(from);
            case DAY -> from == to ? "day " + LocalDate.ofEpochDay(from)
                    : "days " + LocalDate.ofEpochDay(from) + ".." + LocalDate.ofEpochDay(to);
        };
    }
}
