package countapp.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import countapp.codec.ByteSource;
import countapp.model.ItemBatch;
import countapp.model.Window;
import countapp.placement.ItemGroups;
import countapp.placement.Partitioner;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every operation the channel carries comes out of a frame as it went in; an unknown one never comes out. */
class OperationCodecTest {
    private static byte[] frame(int id, Operation... ops) {
        RequestWriter w = new RequestWriter();
        w.begin(id);
        for (Operation op : ops) {
            w.write(op);
        }
        return w.finish().getBytes();
    }

    /** One operation of each kind: the switch has no default, so a new kind fails this test's compile. */
    private static Operation example(OperationKind kind) {
        return switch (kind) {
            case ADD -> Operation.add(ItemBatch.of(new String[] {"t"}, new String[] {"x"}), new Partitioner(16));
            case COUNT -> Operation.count("t", Window.days(20_000, 20_006));
            case ERASE -> Operation.erase("t", "a/b");
            case ERASE_TENANT -> Operation.eraseTenant("gone", 77);
        };
    }

    @Test
    void decode_everyOperationKind_roundTrips() {
        ItemBatch timed = ItemBatch.of(new String[] {"t", "t", "ü"}, new String[] {"a", "b", "c"},
                new int[] {20_000, ItemBatch.NO_DAY, -3});
        byte[] b = frame(42, new Operation.Add(timed, List.of(new ItemGroups.Group(5, new int[] {2}),
                        new ItemGroups.Group(300, new int[] {0, 1}))),
                Operation.add(ItemBatch.of(new String[] {"t"}, new String[] {"x"}), new Partitioner(16)),
                Operation.count("t", Window.ALL), Operation.count("t", Window.days(20_000, 20_006)),
                Operation.count("t", Window.month(682)), Operation.erase("t", "a/b"), Operation.eraseTenant("gone", 77));

        Request r = Request.decode(b, 4, b.length);

        assertThat(r.id()).isEqualTo(42);
        List<Operation> ops = r.operations();
        assertThat(ops).hasSize(7);
        Operation.Add add = (Operation.Add) ops.get(0);
        ItemBatch back = add.batch();
        assertThat(add.count()).isEqualTo(3);
        assertThat(add.groups()).extracting(ItemGroups.Group::partition).containsExactly(5, 300);
        assertThat(add.groups().get(0).indices()).containsExactly(0);
        assertThat(add.groups().get(1).indices()).containsExactly(1, 2);
        assertThat(back.hasDays()).isTrue();
        assertThat(new String[] {back.tenant(0), back.id(0), back.id(1), back.id(2)}).containsExactly("ü", "c", "a", "b");
        assertThat(new int[] {back.day(0), back.day(1), back.day(2)}).containsExactly(-3, 20_000, ItemBatch.NO_DAY);
        assertThat(((Operation.Add) ops.get(1)).batch().hasDays()).isFalse();
        assertThat(ops.get(2)).isEqualTo(Operation.count("t", Window.ALL));
        assertThat(ops.get(3)).isEqualTo(Operation.count("t", Window.days(20_000, 20_006)));
        assertThat(ops.get(4)).isEqualTo(Operation.count("t", Window.month(682)));
        assertThat(ops.get(5)).isEqualTo(Operation.erase("t", "a/b"));
        assertThat(ops.get(6)).isEqualTo(Operation.eraseTenant("gone", 77));
    }

    @Test
    void decode_oneOfEachKind_comesBackAsThatKind() {
        Set<OperationKind> seen = EnumSet.noneOf(OperationKind.class);
        for (OperationKind kind : OperationKind.values()) {
            byte[] b = frame(7, example(kind));

            Operation back = Request.decode(b, 4, b.length).operations().get(0);

            assertThat(back.kind()).isEqualTo(kind);
            assertThat(b[12]).as("wire code of %s", kind).isEqualTo(kind.code());
            seen.add(back.kind());
        }
        assertThat(seen).containsExactlyInAnyOrder(OperationKind.values());
    }

    @Test
    void codes_areFixedOnTheWire_notTheDeclarationOrder() {
        assertThat(OperationKind.ADD.code()).isEqualTo((byte) 1);
        assertThat(OperationKind.COUNT.code()).isEqualTo((byte) 2);
        assertThat(OperationKind.ERASE.code()).isEqualTo((byte) 3);
        assertThat(OperationKind.ERASE_TENANT.code()).isEqualTo((byte) 4);
    }

    @Test
    void issue19_decode_unknownOperationCode_refusesTheWholeFrame() {
        for (int unknown : new int[] {0, 5, 99, -1}) {
            // A valid count first: it must not be decoded into something that runs on its own.
            byte[] b = frame(9, Operation.count("t", Window.ALL), Operation.eraseTenant("victim", 1));
            int eraseAt = b.length - 1 - 1 - "victim".length() - 1; // the ERASE_TENANT code byte
            assertThat(b[eraseAt]).isEqualTo(OperationKind.ERASE_TENANT.code());
            b[eraseAt] = (byte) unknown;

            assertThatThrownBy(() -> Request.decode(b, 4, b.length))
                    .isInstanceOf(ByteSource.MalformedException.class)
                    .hasMessageContaining("unknown operation code " + unknown);
        }
    }

    @Test
    void decode_unknownWindowUnit_isMalformed() {
        byte[] b = frame(3, Operation.count("t", Window.ALL));
        b[12 + 1 + 1 + 1] = 7; // after the length, id and count: code, string length, "t", then the unit

        assertThatThrownBy(() -> Request.decode(b, 4, b.length))
                .isInstanceOf(ByteSource.MalformedException.class).hasMessageContaining("unknown window unit 7");
    }
}
