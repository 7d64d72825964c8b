package countapp.protocol;

import countapp.model.ItemBatch;
import countapp.codec.ByteSink;
import io.vertx.core.buffer.Buffer;

/**
 * Builds one request frame of the channel (see {@link Channel}): operations are appended as they are
 * queued, and {@link #finish} seals the frame. One per connection and event loop; reused frame after frame.
 */
public final class RequestWriter {
    private final ByteSink sink = new ByteSink(8192);
    private int ops;

    /** Starts a frame; any unfinished one is dropped. */
    public void begin(int requestId) {
        sink.reset();
        sink.setLength(12);
        sink.putIntBE(4, requestId);
        ops = 0;
    }

    public int operations() {
        return ops;
    }

    /** Bytes in the frame so far. */
    public int size() {
        return sink.length();
    }

    /** Appends an add of the items at {@code indices[0..count)} of {@code batch}. */
    public void add(ItemBatch batch, int[] indices, int count) {
        sink.put(Channel.ADD);
        sink.putVarint(count);
        for (int k = 0; k < count; k++) {
            int i = indices[k];
            sink.putString(batch.tenant(i));
            sink.putString(batch.id(i));
        }
        ops++;
    }

    public void count(String tenant) {
        sink.put(Channel.COUNT);
        sink.putString(tenant);
        ops++;
    }

    /** The sealed frame, copied out so the writer can start the next one. */
    public Buffer finish() {
        sink.putIntBE(0, sink.length() - 4);
        sink.putIntBE(8, ops);
        return Buffer.buffer(java.util.Arrays.copyOf(sink.array(), sink.length()));
    }
}
