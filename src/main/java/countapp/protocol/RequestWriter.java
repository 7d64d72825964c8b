package countapp.protocol;

import countapp.model.ItemBatch;
import countapp.model.Window;
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
        boolean withDays = batch.hasDays();
        sink.put((byte) (withDays ? 1 : 0));
        for (int k = 0; k < count; k++) {
            int i = indices[k];
            sink.putString(batch.tenant(i));
            sink.putString(batch.id(i));
            if (withDays) {
                sink.putVarlong(Channel.unsigned(batch.day(i)));
            }
        }
        ops++;
    }

    public void count(String tenant, Window window) {
        sink.put(Channel.COUNT);
        sink.putString(tenant);
        sink.put((byte) window.unit().ordinal()); // ALL 0, DAY 1, MONTH 2, as Channel says
        sink.putVarlong(Channel.unsigned(window.from()));
        sink.putVarlong(Channel.unsigned(window.to()));
        ops++;
    }

    public void erase(String tenant, String id) {
        sink.put(Channel.ERASE);
        sink.putString(tenant);
        sink.putString(id);
        ops++;
    }

    public void eraseTenant(String tenant) {
        sink.put(Channel.ERASE_TENANT);
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
