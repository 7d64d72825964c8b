package countapp.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import countapp.model.ItemBatch;
import countapp.model.Window;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every operation the channel carries comes out of a frame as it went in. */
class OperationCodecTest {
    @Test
    void decode_everyOperationKind_roundTrips() {
        RequestWriter w = new RequestWriter();
        w.begin(42);
        ItemBatch timed = ItemBatch.of(new String[] {"t", "t", "ü"}, new String[] {"a", "b", "c"},
                new int[] {20_000, ItemBatch.NO_DAY, -3});
        w.add(timed, new int[] {0, 1, 2}, 3);
        w.add(ItemBatch.of(new String[] {"t"}, new String[] {"x"}), new int[] {0}, 1);
        w.count("t", Window.ALL);
        w.count("t", Window.days(20_000, 20_006));
        w.count("t", Window.month(682));
        w.erase("t", "a/b");
        w.eraseTenant("gone");
        Buffer frame = w.finish();
        byte[] b = frame.getBytes();

        Request r = Request.decode(b, 4, b.length);

        assertThat(r.id()).isEqualTo(42);
        List<Operation> ops = r.operations();
        assertThat(ops).hasSize(7);
        ItemBatch back = java.util.Objects.requireNonNull(ops.get(0).batch());
        assertThat(back.hasDays()).isTrue();
        assertThat(new int[] {back.day(0), back.day(1), back.day(2)}).containsExactly(20_000, ItemBatch.NO_DAY, -3);
        assertThat(back.tenant(2)).isEqualTo("ü");
        assertThat(java.util.Objects.requireNonNull(ops.get(1).batch()).hasDays()).isFalse();
        assertThat(ops.get(2)).isEqualTo(Operation.count("t", Window.ALL));
        assertThat(ops.get(3)).isEqualTo(Operation.count("t", Window.days(20_000, 20_006)));
        assertThat(ops.get(4)).isEqualTo(Operation.count("t", Window.month(682)));
        assertThat(ops.get(5)).isEqualTo(Operation.erase("t", "a/b"));
        assertThat(ops.get(6)).isEqualTo(Operation.eraseTenant("gone"));
    }
}
