package countapp.api;

import countapp.model.Window;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The window of a count or an export, from its query string: none (all time), {@code window=day&at=2026-11-28},
 * {@code window=month&at=2026-11}, or (counts only) {@code from=2026-11-01&to=2026-11-07}, a run of UTC days.
 * Anything else is a 400 that says what is expected. Whether the window is kept is the store's answer.
 */
public final class WindowQuery {
    /** Longer runs of days would only be refused by every retention worth having, after a union of their sets. */
    public static final int MAX_RANGE_DAYS = 366;
    private static final String EXPECTED = "expected window=day&at=YYYY-MM-DD, window=month&at=YYYY-MM, "
            + "or from=YYYY-MM-DD&to=YYYY-MM-DD";
    private static final Set<String> KNOWN = Set.of("window", "at", "from", "to");

    private WindowQuery() {}

    /** The window of a count's query ({@code rawQuery} undecoded, or null). */
    public static Window count(@Nullable String rawQuery) {
        return parse(rawQuery, true);
    }

    /** The window of an export: one day, one month or all time (a run of days is no single set). */
    public static Window export(@Nullable String rawQuery) {
        return parse(rawQuery, false);
    }

    private static Window parse(@Nullable String rawQuery, boolean rangesAllowed) {
        Map<String, String> q = params(rawQuery);
        for (String name : q.keySet()) {
            if (!KNOWN.contains(name)) {
                throw bad("unknown query parameter \"" + name + "\"");
            }
        }
        String window = q.get("window");
        String at = q.get("at");
        String from = q.get("from");
        String to = q.get("to");
        if (window == null && at == null && from == null && to == null) {
            return Window.ALL;
        }
        if (from != null || to != null) {
            if (!rangesAllowed) {
                throw bad("an export covers one day or one month, not a run of days");
            }
            if (window != null || at != null) {
                throw bad("from/to cannot be combined with window/at");
            }
            if (from == null || to == null) {
                throw bad("from and to go together");
            }
            int first = (int) day("from", from).toEpochDay();
            int last = (int) day("to", to).toEpochDay();
            if (first > last) {
                throw bad("from " + from + " is after to " + to);
            }
            if (last - first + 1 > MAX_RANGE_DAYS) {
                throw bad("a run of days is at most " + MAX_RANGE_DAYS + " days long");
            }
            return Window.days(first, last);
        }
        if (window == null || at == null) {
            throw bad("window and at go together");
        }
        return switch (window) {
            case "day" -> Window.day((int) day("at", at).toEpochDay());
            case "month" -> Window.month(month(at));
            default -> throw bad("window must be day or month");
        };
    }

    private static LocalDate day(String name, String value) {
        try {
            if (value.length() == 10) {
                return LocalDate.parse(value);
            }
        } catch (DateTimeException e) {
            // reported below
        }
        throw bad(name + " must be a UTC date, YYYY-MM-DD");
    }

    private static int month(String value) {
        try {
            if (value.length() == 7) {
                return Window.epochMonth(YearMonth.parse(value));
            }
        } catch (DateTimeException e) {
            // reported below
        }
        throw bad("at must be a month, YYYY-MM, with window=month");
    }

    /** Decoded parameters; a parameter given twice is refused (which one would count?). */
    private static Map<String, String> params(@Nullable String rawQuery) {
        Map<String, String> q = new TreeMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return q;
        }
        for (String pair : rawQuery.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = CountPath.percentDecode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : CountPath.percentDecode(pair.substring(eq + 1));
            if (q.put(name, value) != null) {
                throw bad("query parameter \"" + name + "\" is given twice");
            }
        }
        return q;
    }

    private static ApiException bad(String problem) {
        return new ApiException(400, problem + " (" + EXPECTED + ")");
    }

    /**
     * The answer to a count: {@code {"count":N}} plus the window it covers, in the form it was asked in
     * ({@code rawQuery}): a run of one day asked as from/to is echoed as from/to.
     */
    public static String answer(long count, Window window, @Nullable String rawQuery) {
        if (window.unit() == Window.Unit.DAY && rawQuery != null && params(rawQuery).containsKey("from")) {
            return "{\"count\":" + count + ",\"from\":\"" + LocalDate.ofEpochDay(window.from()) + "\",\"to\":\""
                    + LocalDate.ofEpochDay(window.to()) + "\"}";
        }
        return answer(count, window);
    }

    /** As {@link #answer(long, Window, String)}, a one-day window written as a day. */
    public static String answer(long count, Window window) {
        return switch (window.unit()) {
            case ALL -> Json.count(count);
            case MONTH -> "{\"count\":" + count + ",\"window\":\"month\",\"at\":\"" + Window.yearMonth(window.from()) + "\"}";
            case DAY -> window.from() == window.to()
                    ? "{\"count\":" + count + ",\"window\":\"day\",\"at\":\"" + LocalDate.ofEpochDay(window.from()) + "\"}"
                    : "{\"count\":" + count + ",\"from\":\"" + LocalDate.ofEpochDay(window.from()) + "\",\"to\":\""
                            + LocalDate.ofEpochDay(window.to()) + "\"}";
        };
    }

    /** The query string that asks a worker for {@code window} (the inverse of {@link #count}). */
    public static String query(Window window) {
        return switch (window.unit()) {
            case ALL -> "";
            case MONTH -> "window=month&at=" + Window.yearMonth(window.from());
            case DAY -> window.from() == window.to() ? "window=day&at=" + LocalDate.ofEpochDay(window.from())
                    : "from=" + LocalDate.ofEpochDay(window.from()) + "&to=" + LocalDate.ofEpochDay(window.to());
        };
    }
}
