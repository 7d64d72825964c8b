package countapp.cli;

import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * What a count or an export covers, from the {@code --window}, {@code --at}, {@code --from} and {@code --to}
 * options, checked before any request so that a typo costs a usage message rather than a round trip (and
 * so that no unchecked text reaches a query string).
 *
 * @param query the query string for the coordinator, with its leading {@code ?}, or empty for all time
 * @param label how the window reads in a table: {@code all time}, {@code day 2026-11-28}, {@code month
 *     2026-11}, {@code 2026-11-01..2026-11-07}
 */
record CountWindow(String query, String label) {
    static final CountWindow ALL_TIME = new CountWindow("", "all time");

    /** Exit code of a usage error, as picocli uses. */
    static final int USAGE = 2;

    boolean allTime() {
        return query.isEmpty();
    }

    /**
     * The window of {@code count}: all time with no option, one day or month with {@code --window} and
     * {@code --at}, or an inclusive run of days with {@code --from} and {@code --to}.
     */
    static CountWindow of(String window, String at, String from, String to) throws CliException {
        boolean single = window != null || at != null;
        boolean range = from != null || to != null;
        if (single && range) {
            throw new CliException("give either --window with --at, or --from with --to, not both", USAGE);
        }
        if (range) {
            return days(from, to);
        }
        return single ? single(window, at) : ALL_TIME;
    }

    /** One day ({@code --window day --at 2026-11-28}) or one month ({@code --window month --at 2026-11}). */
    static CountWindow single(String window, String at) throws CliException {
        if (window == null) {
            throw new CliException("--at needs --window day or --window month", USAGE);
        }
        String unit = window.trim().toLowerCase(Locale.ROOT);
        if (!unit.equals("day") && !unit.equals("month")) {
            throw new CliException("--window must be day or month, got \"" + window + "\"", USAGE);
        }
        if (at == null) {
            throw new CliException("--window " + unit + " needs --at " + (unit.equals("day") ? "YYYY-MM-DD" : "YYYY-MM"),
                    USAGE);
        }
        String date = unit.equals("day") ? day("--at", at).toString() : month(at).toString();
        return new CountWindow("?window=" + unit + "&at=" + date, unit + " " + date);
    }

    /** The inclusive run of days from {@code from} to {@code to}. */
    static CountWindow days(String from, String to) throws CliException {
        if (from == null || to == null) {
            throw new CliException("--from and --to go together: give both days (YYYY-MM-DD)", USAGE);
        }
        LocalDate first = day("--from", from);
        LocalDate last = day("--to", to);
        if (first.isAfter(last)) {
            throw new CliException("--from " + first + " is after --to " + last, USAGE);
        }
        return new CountWindow("?from=" + first + "&to=" + last, first + ".." + last);
    }

    private static LocalDate day(String option, String text) throws CliException {
        try {
            // ISO_LOCAL_DATE is strict about the shape (2026-11-28) and rejects 2026-02-30.
            return LocalDate.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw new CliException(option + " must be a UTC day as YYYY-MM-DD, got \"" + text + "\"", USAGE);
        }
    }

    private static YearMonth month(String text) throws CliException {
        try {
            return YearMonth.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw new CliException("--at must be a UTC month as YYYY-MM with --window month, got \"" + text + "\"", USAGE);
        }
    }
}
