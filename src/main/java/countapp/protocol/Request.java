package countapp.protocol;

import countapp.model.ItemBatch;
import countapp.codec.ByteSource;
import java.util.ArrayList;
import java.util.List;

/**
 * A decoded request frame: its id and operations, in order. Each operation is an add (a batch of items) or
 * a count (a tenant). Decoding throws {@link ByteSource.MalformedException} on a frame that does not follow
 * the format.
 *
 * @param id the request id the reply must carry
 * @param adds for each operation, its batch when it is an add, else null
 * @param tenants for each operation, its tenant when it is a count, else null
 */
public record Request(int id, List<ItemBatch> adds, List<String> tenants) {
    public int operations() {
        return adds.size();
    }

    /** Decodes the frame {@code b[from..to)} (after the length field). */
    public static Request decode(byte[] b, int from, int to) {
        ByteSource in = new ByteSource(b, from, to);
        int id = readInt(in);
        int count = readInt(in);
        if (count < 0 || count > to - from) {
            throw new ByteSource.MalformedException("bad operation count " + count);
        }
        List<ItemBatch> adds = new ArrayList<>(count);
        List<String> tenants = new ArrayList<>(count);
        for (int op = 0; op < count; op++) {
            byte kind = in.get();
            if (kind == Channel.ADD) {
                int n = in.varint();
                if (n > to - from) {
                    throw new ByteSource.MalformedException("bad item count " + n);
                }
                String[] ts = new String[n];
                String[] ids = new String[n];
                String last = null;
                for (int i = 0; i < n; i++) {
                    String t = in.string();
                    // Consecutive items usually share a tenant: share its String too (cheaper hashing later).
                    ts[i] = t.equals(last) ? last : t;
                    last = ts[i];
                    ids[i] = in.string();
                }
                adds.add(ItemBatch.of(ts, ids));
                tenants.add(null);
            } else if (kind == Channel.COUNT) {
                adds.add(null);
                tenants.add(in.string());
            } else {
                throw new ByteSource.MalformedException("unknown operation " + kind);
            }
        }
        if (in.hasMore()) {
            throw new ByteSource.MalformedException("trailing bytes after the last operation");
        }
        return new Request(id, adds, tenants);
    }

    static int readInt(ByteSource in) {
        return (in.get() & 0xff) << 24 | (in.get() & 0xff) << 16 | (in.get() & 0xff) << 8 | (in.get() & 0xff);
    }
}
