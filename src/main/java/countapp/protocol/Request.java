package countapp.protocol;

import countapp.codec.ByteSource;
import countapp.model.ItemBatch;
import countapp.model.Window;
import countapp.placement.ItemGroups;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A decoded request frame: its id and operations, in order. Decoding throws
 * {@link ByteSource.MalformedException} on a frame that does not follow the format (see {@link Channel}),
 * an unknown operation code included: such a frame is refused whole, so none of its operations runs.
 *
 * @param id the request id the reply must carry
 * @param operations the operations, in order
 */
public record Request(int id, List<Operation> operations) {
    public int size() {
        return operations.size();
    }

    /** Decodes the frame {@code b[from..to)} (after the length field). */
    public static Request decode(byte[] b, int from, int to) {
        ByteSource in = new ByteSource(b, from, to);
        int id = readInt(in);
        int count = readInt(in);
        if (count < 0 || count > to - from) {
            throw new ByteSource.MalformedException("bad operation count " + count);
        }
        List<Operation> ops = new ArrayList<>(count);
        for (int op = 0; op < count; op++) {
            ops.add(switch (OperationKind.ofCode(in.get())) {
                case ADD -> add(in, to - from);
                case COUNT -> new Operation.Count(in.string(), window(in));
                case ERASE -> new Operation.Erase(in.string(), in.string());
                case ERASE_TENANT -> new Operation.EraseTenant(in.string(), in.varlong());
            });
        }
        if (in.hasMore()) {
            throw new ByteSource.MalformedException("trailing bytes after the last operation");
        }
        return new Request(id, ops);
    }

    private static Operation.Add add(ByteSource in, int frameBytes) {
        boolean withDays = (in.get() & 1) != 0;
        int groupCount = in.varint();
        if (groupCount > frameBytes) {
            throw new ByteSource.MalformedException("bad group count " + groupCount);
        }
        List<ItemGroups.Group> groups = new ArrayList<>(groupCount);
        String[] ts = new String[Math.min(frameBytes, 16)];
        String[] ids = new String[ts.length];
        int[] days = withDays ? new int[ts.length] : null;
        int n = 0;
        String last = null;
        for (int g = 0; g < groupCount; g++) {
            int partition = in.varint();
            int size = in.varint();
            if (size > frameBytes) {
                throw new ByteSource.MalformedException("bad item count " + size);
            }
            if (n + size > ts.length) {
                int capacity = Math.max(n + size, ts.length * 2);
                ts = Arrays.copyOf(ts, capacity);
                ids = Arrays.copyOf(ids, capacity);
                days = days == null ? null : Arrays.copyOf(days, capacity);
            }
            int[] members = new int[size];
            for (int k = 0; k < size; k++, n++) {
                String t = in.string();
                // Consecutive items usually share a tenant: share its String too (cheaper hashing later).
                ts[n] = t.equals(last) ? last : t;
                last = ts[n];
                ids[n] = in.string();
                if (days != null) {
                    days[n] = Channel.signed(in.varlong());
                }
                members[k] = n;
            }
            groups.add(new ItemGroups.Group(partition, members));
        }
        if (n != ts.length) {
            ts = Arrays.copyOf(ts, n);
            ids = Arrays.copyOf(ids, n);
            days = days == null ? null : Arrays.copyOf(days, n);
        }
        return new Operation.Add(days == null ? ItemBatch.of(ts, ids) : ItemBatch.of(ts, ids, days), groups);
    }

    private static Window window(ByteSource in) {
        Window.Unit unit = Channel.unitOfCode(in.get());
        int from = Channel.signed(in.varlong());
        int to = Channel.signed(in.varlong());
        try {
            return new Window(unit, from, to);
        } catch (IllegalArgumentException e) {
            throw new ByteSource.MalformedException("bad window: " + e.getMessage());
        }
    }

    static int readInt(ByteSource in) {
        return (in.get() & 0xff) << 24 | (in.get() & 0xff) << 16 | (in.get() & 0xff) << 8 | (in.get() & 0xff);
    }
}
