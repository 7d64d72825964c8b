package countapp.model;

/**
 * Which calendar windows are kept, as the {@code windows} setting says: the last {@code days} UTC days and
 * the last {@code months} UTC months, today and this month included. {@link #NONE} (the default) keeps
 * none: only all-time counts, as before windows existed.
 *
 * @param days how many days are kept (0 = no day windows)
 * @param months how many months are kept (0 = no month windows)
 */
public record Retention(int days, int months) {
    public static final Retention NONE = new Retention(0, 0);
    public static final int MAX_DAYS = 3660;
    public static final int MAX_MONTHS = 120;

    public Retention {
        if (days < 0 || days > MAX_DAYS || months < 0 || months > MAX_MONTHS) {
            throw new IllegalArgumentException("windows: day must be 0.." + MAX_DAYS + " and month 0.." + MAX_MONTHS);
        }
    }

    public boolean enabled() {
        return days > 0 || months > 0;
    }

    /**
     * Whether day {@code day} is kept when it is {@code today}. Tomorrow is kept too: an item may carry a
     * time up to five minutes ahead, which can be past midnight.
     */
    public boolean keepsDay(int day, int today) {
        return days > 0 && day > today - days && day <= today + 1;
    }

    /** Whether month {@code month} is kept when the current month is {@code thisMonth} (next month too, as above). */
    public boolean keepsMonth(int month, int thisMonth) {
        return months > 0 && month > thisMonth - months && month <= thisMonth + 1;
    }

    /** Whether {@code window} is kept on {@code today}: all time always is; a range only when each of its days is. */
    public boolean keeps(Window window, int today) {
        return switch (window.unit()) {
            case ALL -> true;
            case MONTH -> keepsMonth(window.from(), Window.monthOfDay(today));
            case DAY -> keepsDay(window.from(), today) && keepsDay(window.to(), today);
        };
    }

    /** As written in the config: {@code {day: 35, month: 13}}, or {@code off}. */
    @Override
    public String toString() {
        return enabled() ? "{day: " + days + ", month: " + months + "}" : "off";
    }
}
