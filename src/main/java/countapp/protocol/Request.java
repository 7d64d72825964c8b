package countapp.protocol;

import countapp.codec.ByteSource;
import countapp.model.ItemBatch;
import countapp.model.Window;
import java.util.ArrayList;
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
                case ADD -> Operation.add(add(in, to - from));
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

    private static ItemBatch add(ByteSource in, int frameBytes) {
        int n = in.varint();
        if (n > frameBytes) {
            throw new ByteSource.MalformedException("bad item count " + n);
        }
        boolean withDays = (in.get() & 1) != 0;
        String[] ts = new String[n];
        String[] ids = new String[n];
        int[] days = withDays ? new int[n] : null;
        String last = null;
        for (int i = 0; i < n; i++) {
            String t = in.string();
            // Consecutive items usually share a tenant: share its String too (cheaper hashing later).
            ts[i] = t.equals(last) ? last : t;
            last = ts[i];
            ids[i] = in.string();
            if (days != null) {
                days[i] = Channel.signed(in.varlong());
            }
        }
        return days == null ? ItemBatch.of(ts, ids) : ItemBatch.of(ts, ids, days);
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
