package countapp.protocol;

import countapp.model.ItemBatch;
import countapp.codec.BufferBytes;
import countapp.codec.ByteSink;
import countapp.placement.ItemGroups;
import io.vertx.core.buffer.Buffer;

/**
 * Builds one request frame of the channel (see {@link Channel}): operations are appended as they are
 * queued, and {@link #finish} seals the frame. One per connection and event loop; reused frame after frame.
 */
public final class RequestWriter {
    private ByteSink sink = new ByteSink(256);
    /** The size of the larger recent frames, decaying by an eighth per frame. */
    private int capacityHint = 256;
    private final Operation.Cases<Integer> encoder = new Encoder();
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

    /** Appends {@code operation} to the frame. */
    public void write(Operation operation) {
        sink.put(operation.kind().code());
        operation.on(encoder);
        ops++;
    }

    /**
     * The sealed frame, sent from the array it was built in (no copy); the next frame starts in a new
     * array sized like the recent ones.
     */
    public Buffer finish() {
        sink.putIntBE(0, sink.length() - 4);
        sink.putIntBE(8, ops);
        Buffer frame = BufferBytes.wrap(sink.array(), sink.length());
        // Sized for the larger recent frames (coalescing makes sizes swing), so the next one rarely regrows.
        capacityHint = Math.max(sink.length(), capacityHint - (capacityHint >> 3));
        sink = new ByteSink(capacityHint + (capacityHint >> 2));
        return frame;
    }

    /** Each kind's fields, after its code; each answers the frame's size so far. */
    private final class Encoder implements Operation.Cases<Integer> {
        @Override
        public Integer add(Operation.Add add) {
            ItemBatch batch = add.batch();
            boolean withDays = batch.hasDays();
            sink.put((byte) (withDays ? 1 : 0));
            sink.putVarint(add.groups().size());
            for (ItemGroups.Group group : add.groups()) {
                sink.putVarint(group.partition());
                sink.putVarint(group.size());
                for (int i : group.indices()) {
                    sink.putString(batch.tenant(i));
                    sink.putString(batch.id(i));
                    if (withDays) {
                        sink.putVarlong(Channel.unsigned(batch.day(i)));
                    }
                }
            }
            return sink.length();
        }

        @Override
        public Integer count(Operation.Count count) {
            sink.putString(count.tenant());
            sink.put(Channel.unitCode(count.window().unit()));
            sink.putVarlong(Channel.unsigned(count.window().from()));
            sink.putVarlong(Channel.unsigned(count.window().to()));
            return sink.length();
        }

        @Override
        public Integer erase(Operation.Erase erase) {
            sink.putString(erase.tenant());
            sink.putString(erase.id());
            return sink.length();
        }

        @Override
        public Integer eraseTenant(Operation.EraseTenant eraseTenant) {
            sink.putString(eraseTenant.tenant());
            sink.putVarlong(eraseTenant.token());
            return sink.length();
        }
    }
}
