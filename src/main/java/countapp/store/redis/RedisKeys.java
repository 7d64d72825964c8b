package countapp.store.redis;

import countapp.model.Retention;
import countapp.model.Window;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The key layout of the Redis backend. Every key of a tenant is {@code countapp:{<tenant>}:<suffix>}: the
 * hash tag puts all of them in one Cluster slot, so a script may touch any of them at once. The suffixes
 * ({@code items}, {@code day:<n>}, {@code month:<n>}, {@code union}) contain no {@code '}'} and none is the
 * tail of another, so a key names exactly one tenant and one suffix even when the tenant holds braces.
 *
 * <ul>
 *   <li>{@code countapp:{t}:items}: the tenant's ids, all time;
 *   <li>{@code countapp:{t}:day:<epoch day>}: the ids seen on that UTC day, expiring when the retention
 *       drops the day;
 *   <li>{@code countapp:{t}:month:<epoch month>}: the same for a UTC month;
 *   <li>{@code countapp:{t}:union}: scratch for the union of a run of days, created and deleted by one
 *       script, so it never outlives it;
 *   <li>{@code countapp:tenants:<partition>}: the tenants a partition has seen (see {@link RedisCountCursor});
 *   <li>{@code countapp:registry-filled}: set once the registries hold the tenants stored before they
 *       existed (see {@link RegistryBackfill}).
 * </ul>
 */
final class RedisKeys {
    private static final long DAY_MS = 86_400_000L;

    private RedisKeys() {}

    static String items(String tenant) {
        return prefix(tenant) + "items";
    }

    static String day(String tenant, int epochDay) {
        return prefix(tenant) + "day:" + epochDay;
    }

    static String month(String tenant, int epochMonth) {
        return prefix(tenant) + "month:" + epochMonth;
    }

    static String union(String tenant) {
        return prefix(tenant) + "union";
    }

    static String tenants(int partition) {
        return "countapp:tenants:" + partition;
    }

    /** The set of a single window: all time, one day or one month. */
    static String of(String tenant, Window window) {
        return switch (window.unit()) {
            case ALL -> items(tenant);
            case DAY -> day(tenant, window.from());
            case MONTH -> month(tenant, window.from());
        };
    }

    private static String prefix(String tenant) {
        return "countapp:{" + tenant + "}:";
    }

    /** When day {@code day}'s set stops being kept: the start of day {@code day + days}, in epoch ms. */
    static long dayExpiry(int day, Retention windows) {
        return (day + (long) windows.days()) * DAY_MS;
    }

    /** When month {@code month}'s set stops being kept: the start of month {@code month + months}, in epoch ms. */
    static long monthExpiry(int month, Retention windows) {
        return Window.yearMonth(month + windows.months()).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant()
                .toEpochMilli();
    }

    /**
     * Every window set of {@code tenant} that may still exist on {@code today}: the kept days and months,
     * one more on each side, so a worker whose clock is a little off from the others' (or from Redis',
     * which expires the keys) still reaches every set that holds the tenant's ids.
     */
    static List<String> windowSets(String tenant, Retention windows, int today) {
        List<String> keys = new ArrayList<>();
        if (windows.days() > 0) {
            for (int d = today - windows.days(); d <= today + 2; d++) {
                keys.add(day(tenant, d));
            }
        }
        if (windows.months() > 0) {
            int thisMonth = Window.monthOfDay(today);
            for (int m = thisMonth - windows.months(); m <= thisMonth + 2; m++) {
                keys.add(month(tenant, m));
            }
        }
        return keys;
    }
}
