package countapp.store.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link PairIndex} and {@link LongSet} against a model (a set): any run of adds and removes, with values
 * crowded into few segments and home slots so that probing, growth and backward-shift deletion all run,
 * answers every add, remove, contains and size as the set does; the index survives its own write and read.
 */
class PairIndexPropertiesTest {
    /** An operation: add (true) or remove (false) of a value. */
    record Op(boolean add, long value) {}

    @Provide
    Arbitrary<List<Op>> ops() {
        // Few distinct values (so removes hit), sharing low bits (same home slot), including 0.
        Arbitrary<Long> value = Arbitraries.longs().between(0, 300).map(v -> v << 40 | (v & 3));
        return net.jqwik.api.Combinators.combine(Arbitraries.integers().between(0, 2).map(i -> i > 0), value)
                .as(Op::new).list().ofMinSize(1).ofMaxSize(2000);
    }

    @Property(tries = 100)
    void pairIndex_anyOps_matchesASet(@ForAll("ops") List<Op> ops) throws IOException {
        PairIndex index = new PairIndex();
        Set<Long> model = new HashSet<>();
        for (Op op : ops) {
            long high = op.value() << 20; // few segments: the top bits choose it
            if (op.add()) {
                assertThat(index.add(op.value(), high)).isEqualTo(model.add(op.value()));
            } else {
                assertThat(index.remove(op.value(), high)).isEqualTo(model.remove(op.value()));
            }
            assertThat(index.size()).isEqualTo(model.size());
        }
        for (long v = 0; v <= 300; v++) {
            long value = v << 40 | (v & 3);
            assertThat(index.contains(value, value << 20)).isEqualTo(model.contains(value));
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        index.write(new DataOutputStream(bytes));
        PairIndex read = PairIndex.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        assertThat(read.size()).isEqualTo(model.size());
        for (long value : model) {
            assertThat(read.contains(value, value << 20)).isTrue();
        }
    }

    @Property(tries = 100)
    void longSet_anyOps_matchesASet(@ForAll("ops") List<Op> ops) {
        LongSet set = new LongSet(1);
        Set<Long> model = new HashSet<>();
        for (Op op : ops) {
            if (op.add()) {
                assertThat(set.add(op.value())).isEqualTo(model.add(op.value()));
            } else {
                assertThat(set.remove(op.value())).isEqualTo(model.remove(op.value()));
            }
            assertThat(set.size()).isEqualTo(model.size());
        }
        for (long v = 0; v <= 300; v++) {
            long value = v << 40 | (v & 3);
            assertThat(set.contains(value)).isEqualTo(model.contains(value));
        }
        LongSet union = new LongSet(1);
        union.add(-1L);
        set.addAllTo(union);
        assertThat(union.size()).isEqualTo(model.size() + (model.contains(-1L) ? 0 : 1));
    }
}
