package countapp.protocol;

import countapp.codec.ByteSource;

/**
 * A decoded results frame: per operation its status and, on 200, its value, else the worker's message.
 * Status {@link Channel#RUNNING} says the operation goes on: {@link WorkerFrame.Progress} frames follow
 * while it runs, and one {@link WorkerFrame.Done} frame when it ends.
 *
 * @param id the request id
 * @param statuses per operation
 * @param values per operation: pairs added or the count (200 only)
 * @param messages per operation: why it failed (not 200 only), else null
 */
public record Reply(int id, int[] statuses, long[] values, String[] messages) implements WorkerFrame {
    public int results() {
        return statuses.length;
    }

    @Override
    public <R> R on(Cases<R> cases) {
        return cases.results(this);
    }

    /** Decodes any frame from the worker: results, progress or done. */
    public static WorkerFrame decode(byte[] b, int from, int to) {
        return WorkerFrame.decode(b, from, to);
    }

    static Reply decode(ByteSource in, int frameBytes) {
        int id = Request.readInt(in);
        int n = Request.readInt(in);
        if (n < 0 || n > frameBytes) {
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
        return new Reply(id, statuses, values, messages);
    }
}
