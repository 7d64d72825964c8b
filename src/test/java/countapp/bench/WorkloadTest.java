package countapp.bench;

import static org.assertj.core.api.Assertions.assertThat;

import countapp.model.ItemBatch;
import countapp.api.ItemParser;
import countapp.model.Limits;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WorkloadTest {
    private final ItemParser parser = new ItemParser(Limits.DEFAULT);

    @Test
    void bodiesAreValidItemArraysOfTheChosenItems() {
        for (boolean hashed : new boolean[] {true, false}) {
            Workload work = new Workload("bench-x", 7, 100, 0, 0, hashed);
            Workload.Scratch scratch = new Workload.Scratch();
            long[] seqs = work.nextItems(new SplittableRandom(1), 100);
            ItemBatch batch = parser.parse(work.body(seqs, scratch));
            assertThat(batch.size()).isEqualTo(100);
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < 100; i++) {
                assertThat(seqs[i]).isEqualTo(i);
                assertThat(batch.tenant(i)).isEqualTo("bench-x-" + (i % 7)).isEqualTo(work.tenant(work.tenantOf(seqs[i])));
                assertThat(batch.id(i)).startsWith("i").hasSize(hashed ? 17 : 1 + Long.toString(i).length());
                ids.add(batch.id(i));
            }
            assertThat(ids).hasSize(100);
            assertThat(work.allocated()).isEqualTo(100);
        }
    }

    @Test
    void duplicatesReuseAlreadyAllocatedNumbersOnly() {
        Workload work = new Workload("t", 3, 50, 0.5, 0, true);
        SplittableRandom rnd = new SplittableRandom(7);
        long[] first = work.nextItems(rnd, 50);
        assertThat(first).containsExactly(java.util.stream.LongStream.range(0, 50).toArray()); // nothing to repeat yet
        long[] second = work.nextItems(rnd, 50);
        long repeats = java.util.Arrays.stream(second).filter(s -> s < 50).count();
        assertThat(repeats).isBetween(10L, 40L);
        assertThat(work.allocated()).isEqualTo(50 + 50 - repeats);
        assertThat(java.util.Arrays.stream(second).allMatch(s -> s < work.allocated())).isTrue();
    }

    @Test
    void itemLimitExhaustsTheWorkload() {
        Workload work = new Workload("t", 1, 10, 0, 25, false);
        SplittableRandom rnd = new SplittableRandom(3);
        work.nextItems(rnd, 10);
        work.nextItems(rnd, 10);
        assertThat(work.exhausted()).isFalse();
        work.nextItems(rnd, 10);
        assertThat(work.exhausted()).isTrue();
    }

    @Test
    void readsNumbersFromSmallJsonAnswers() {
        assertThat(Lane.longField(io.vertx.core.buffer.Buffer.buffer("{\"received\":3,\"added\":2}"), "\"added\":")).isEqualTo(2);
        assertThat(Lane.longField(io.vertx.core.buffer.Buffer.buffer("{\"count\": 12345}"), "\"count\":")).isEqualTo(12345);
    }
}
