package countapp.protocol;

import countapp.codec.ByteSource;

/**
 * A decoded reply frame: per operation its status and, on 200, its value, else the worker's message.
 *
 * @param id the request id
 * @param statuses per operation
 * @param values per operation: pairs added or the count (200 only)
 * @param messages per operation: why it failed (not 200 only), else null
 */
public record Reply(int id, int[] statuses, long[] values, String[] messages) {
    public int results() {
        return statuses.length;
    }

    public static Reply decode(byte[] b, int from, int to) {
        ByteSource in = new ByteSource(b, from, to);
        int id = Request.readInt(in);
        int n = Request.readInt(in);
        if (n < 0 || n > to - from) {
            throw new ByteSource.MalformedException("bad result count " + n);
        }
        int[] statuses = new int[n];
        long[] values = new long[n];
        String[] messages = new String[n];
        for (int i = 0; i < n; i++) {
            statuses[i] = in.varint();
            if (statuses[i] == 200) {
                values[i] = in.varlong();
            } else {
                messages[i] = in.string();
            }
        }
        if (in.hasMore()) {
            throw new ByteSource.MalformedException("trailing bytes after the last result");
        }
        return new Reply(id, statuses, values, messages);
    }

    /** The request id of an encoded frame (after the length field), read without decoding the rest. */
    public static int idOf(byte[] b, int from) {
        return (b[from] & 0xff) << 24 | (b[from + 1] & 0xff) << 16 | (b[from + 2] & 0xff) << 8 | (b[from + 3] & 0xff);
    }
}
