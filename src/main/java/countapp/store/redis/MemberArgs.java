package countapp.store.redis;

import countapp.model.ItemBatch;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.CommandArgs;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The arguments of {@code SADD key member…}, written straight from the batch: one key, then the ids of
 * the batch at {@code indices[0..count)}. Lettuce's own arguments hold an object per member and encode
 * through the codec one by one; a 100-item add spent a seventh of the worker's time there and in the
 * garbage it left. Here nothing is allocated per member: each id's UTF-8 goes into the outgoing buffer.
 */
final class MemberArgs extends CommandArgs<String, String> {
    private static final byte[] CRLF = {'\r', '\n'};
    private final String key;
    private final ItemBatch batch;
    private final int[] indices;
    private final int count;

    MemberArgs(String key, ItemBatch batch, int[] indices, int count) {
        super(StringCodec.UTF8);
        this.key = key;
        this.batch = batch;
        this.indices = indices;
        this.count = count;
    }

    @Override
    public int count() {
        return 1 + count;
    }

    /** The key a Cluster routes the command by (its slot). */
    @Override
    public ByteBuffer getFirstEncodedKey() {
        return ByteBuffer.wrap(key.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void encode(ByteBuf buf) {
        bulk(buf, key);
        for (int k = 0; k < count; k++) {
            bulk(buf, batch.id(indices[k]));
        }
    }

    /** One RESP bulk string: {@code $<length>\r\n<UTF-8 bytes>\r\n}. */
    private static void bulk(ByteBuf buf, String s) {
        int length = ByteBufUtil.utf8Bytes(s);
        buf.ensureWritable(length + 16);
        buf.writeByte('$');
        writeDecimal(buf, length);
        buf.writeBytes(CRLF);
        ByteBufUtil.reserveAndWriteUtf8(buf, s, length);
        buf.writeBytes(CRLF);
    }

    private static void writeDecimal(ByteBuf buf, int value) {
        if (value < 10) {
            buf.writeByte('0' + value);
            return;
        }
        int digits = 1;
        for (int v = value; v >= 10; v /= 10) {
            digits++;
        }
        int at = buf.writerIndex() + digits;
        buf.writerIndex(at);
        for (int v = value; digits > 0; digits--, v /= 10) {
            buf.setByte(--at, '0' + v % 10);
        }
    }

    @Override
    public String toCommandString() {
        return key + " <" + count + " members>";
    }
}
