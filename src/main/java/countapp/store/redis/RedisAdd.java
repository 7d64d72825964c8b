package countapp.store.redis;

import countapp.model.ItemBatch;
import countapp.model.Retention;
import countapp.model.Window;
import countapp.store.redis.RedisWrites.Write;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandKeyword;
import io.lettuce.core.protocol.CommandType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The writes of one add (an item group of one partition), all sent in one round trip: per tenant one
 * {@code SADD} of its ids to its all-time set, whose reply is how many were new (so {@code added} is exact),
 * or, when some of its items fall in kept windows, one {@link RedisScript#ADD} that adds them to the all-time
 * and window sets and sets the windows' expiry at once; then one {@code ZADD NX} of the group's tenants to
 * the partition's registry (see {@link RedisCountCursor}), which counts as 0 added.
 */
final class RedisAdd {
    /** The writes, and how many items carried a day whose day or month window is not kept. */
    record Plan(List<Write> writes, long lateItems) {}

    private RedisAdd() {}

    /** One tenant's share of the group: the batch indices of its items, and per window set those seen in it. */
    private static final class Tenant {
        int[] indices;
        int size;
        final Map<String, List<String>> windowIds = new LinkedHashMap<>();
        final Map<String, Long> expiry = new LinkedHashMap<>();

        Tenant(int capacity) {
            indices = new int[capacity];
        }

        void add(int index) {
            if (size == indices.length) {
                indices = Arrays.copyOf(indices, 2 * size);
            }
            indices[size++] = index;
        }

        void window(String key, long expiresAt, String itemId) {
            windowIds.computeIfAbsent(key, k -> new ArrayList<>()).add(itemId);
            expiry.put(key, expiresAt);
        }
    }

    static Plan plan(int partition, ItemBatch batch, int[] indices, int count, Retention windows, int today) {
        int thisMonth = Window.monthOfDay(today);
        Map<String, Tenant> byTenant = new LinkedHashMap<>(4);
        String lastName = null;
        Tenant last = null;
        long late = 0;
        for (int k = 0; k < count; k++) {
            int i = indices[k];
            String name = batch.tenant(i);
            @SuppressWarnings("ReferenceEquality") // a hit when the parser shared one tenant String; equals() otherwise
            boolean same = name == lastName;
            Tenant t = same && last != null ? last
                    : byTenant.computeIfAbsent(name, x -> new Tenant(Math.min(count, 16)));
            lastName = name;
            last = t;
            t.add(i);
            int day = batch.day(i);
            if (!windows.enabled() || day == ItemBatch.NO_DAY) {
                continue;
            }
            boolean missed = false;
            if (windows.days() > 0) {
                if (windows.keepsDay(day, today)) {
                    t.window(RedisKeys.day(name, day), RedisKeys.dayExpiry(day, windows), batch.id(i));
                } else {
                    missed = true;
                }
            }
            if (windows.months() > 0) {
                int month = Window.monthOfDay(day);
                if (windows.keepsMonth(month, thisMonth)) {
                    t.window(RedisKeys.month(name, month), RedisKeys.monthExpiry(month, windows), batch.id(i));
                } else {
                    missed = true;
                }
            }
            if (missed) {
                late++;
            }
        }
        if (byTenant.isEmpty()) {
            return new Plan(List.of(), late);
        }
        List<Write> writes = new ArrayList<>(byTenant.size() + 1);
        for (Map.Entry<String, Tenant> e : byTenant.entrySet()) {
            writes.add(write(e.getKey(), e.getValue(), batch));
        }
        writes.add(register(partition, byTenant.keySet()));
        return new Plan(writes, late);
    }

    /** A plain {@code SADD} when the tenant's items touch no window, else the add script over all its sets. */
    private static Write write(String tenant, Tenant t, ItemBatch batch) {
        String all = RedisKeys.items(tenant);
        if (t.windowIds.isEmpty()) {
            return Write.counted(all, CommandType.SADD, new MemberArgs(all, batch, t.indices, t.size));
        }
        int n = 1 + t.windowIds.size();
        String[] keys = new String[n];
        List<String> args = new ArrayList<>(2 * n + t.size * 3);
        keys[0] = all;
        args.add(Integer.toString(t.size));
        int k = 1;
        for (Map.Entry<String, List<String>> w : t.windowIds.entrySet()) {
            keys[k++] = w.getKey();
            args.add(Integer.toString(w.getValue().size()));
        }
        args.add("0"); // KEYS[1] never expires
        for (long expiresAt : t.expiry.values()) {
            args.add(Long.toString(expiresAt));
        }
        for (int j = 0; j < t.size; j++) {
            args.add(batch.id(t.indices[j]));
        }
        for (List<String> ids : t.windowIds.values()) {
            args.addAll(ids);
        }
        return Write.script(RedisScript.ADD, keys, args.toArray(String[]::new));
    }

    /** {@code ZADD <registry> NX 0 <tenant>…}: adds the group's tenants to the partition's registry. */
    private static Write register(int partition, Iterable<String> tenants) {
        String registry = RedisKeys.tenants(partition);
        CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8).addKey(registry).add(CommandKeyword.NX);
        for (String t : tenants) {
            args.add(0).addValue(t);
        }
        return Write.uncounted(registry, CommandType.ZADD, args);
    }
}
