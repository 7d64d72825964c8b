package countapp.placement;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class RendezvousTest {
    private static final int PARTITIONS = 4096;
    private static final List<String> FOUR = List.of(
            "http://localhost:5001", "http://localhost:5002", "http://localhost:5003", "http://localhost:5004");
    private static final String FIFTH = "http://localhost:5005";

    @Test
    void assign_workersInAnyOrder_givesSameOwners() {
        List<String> expected = Rendezvous.assign(PARTITIONS, FOUR);
        Random random = new Random(7);

        for (int round = 0; round < 10; round++) {
            List<String> shuffled = new ArrayList<>(FOUR);
            Collections.shuffle(shuffled, random);
            assertThat(Rendezvous.assign(PARTITIONS, shuffled)).isEqualTo(expected);
        }
    }

    @Test
    void assign_fourWorkers_exactlyEvenLoads() {
        assertThat(loads(Rendezvous.assign(PARTITIONS, FOUR)).values()).containsOnly(PARTITIONS / 4);
    }

    @Test
    void assign_sixteenPartitionsTwoWorkers_eightEach_regressionIssue4() {
        // Unbounded rendezvous hashing put 11 of 16 partitions on one of these two workers.
        List<String> two = List.of("http://localhost:6101", "http://localhost:6102");
        assertThat(loads(Rendezvous.assign(16, two)).values()).containsExactly(8, 8);
    }

    @Property(tries = 200)
    void assign_anyWorkers_noWorkerOverCeilingAndEveryPartitionOwned(
            @ForAll @IntRange(min = 1, max = 300) int partitions, @ForAll @IntRange(min = 1, max = 9) int workers) {
        List<String> names = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            names.add("http://host-" + w + ":5000");
        }
        List<String> owners = Rendezvous.assign(partitions, names);

        assertThat(owners).hasSize(partitions).doesNotContainNull();
        int ceiling = (partitions + workers - 1) / workers;
        assertThat(loads(owners).values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(ceiling));
    }

    @Test
    void assign_fifthWorkerAdded_movesAboutOneFifthNearlyAllToTheNewWorker() {
        List<String> before = Rendezvous.assign(PARTITIONS, FOUR);
        List<String> five = new ArrayList<>(FOUR);
        five.add(FIFTH);
        List<String> after = Rendezvous.assign(PARTITIONS, five);

        int moved = 0;
        int betweenOldWorkers = 0;
        for (int p = 0; p < PARTITIONS; p++) {
            if (!before.get(p).equals(after.get(p))) {
                moved++;
                betweenOldWorkers += after.get(p).equals(FIFTH) ? 0 : 1;
            }
        }
        assertThat(moved / (double) PARTITIONS).isBetween(0.19, 0.23); // ideal: 0.20
        assertThat(betweenOldWorkers / (double) PARTITIONS).isLessThan(0.02);
    }

    @Test
    void assign_workerRemoved_movesItsPartitionsAndFewOthers() {
        List<String> before = Rendezvous.assign(PARTITIONS, FOUR);
        String removed = FOUR.get(2);
        List<String> three = new ArrayList<>(FOUR);
        three.remove(removed);
        List<String> after = Rendezvous.assign(PARTITIONS, three);

        int others = 0;
        for (int p = 0; p < PARTITIONS; p++) {
            assertThat(after.get(p)).isIn(three);
            if (!before.get(p).equals(removed) && !before.get(p).equals(after.get(p))) {
                others++;
            }
        }
        assertThat(others / (double) PARTITIONS).isLessThan(0.03);
    }

    @Test
    void assign_noWorkers_allNull() {
        assertThat(Rendezvous.assign(4, List.of())).containsExactly(null, null, null, null);
    }

    @Test
    void assign_singleWorker_ownsEverything() {
        assertThat(Rendezvous.assign(64, List.of("w"))).containsOnly("w");
    }

    @Test
    void assign_onePartition_goesToItsHighestScoringWorker() {
        List<String> owners = Rendezvous.assign(1, FOUR);
        for (String w : FOUR) {
            assertThat(Rendezvous.score(owners.get(0), 0)).isGreaterThanOrEqualTo(Rendezvous.score(w, 0));
        }
    }

    private static Map<String, Integer> loads(List<String> owners) {
        Map<String, Integer> perWorker = new java.util.TreeMap<>();
        for (String owner : owners) {
            perWorker.merge(owner, 1, Integer::sum);
        }
        return perWorker;
    }

    @Test
    void score_sameInputs_isStableAcrossCalls() {
        assertThat(Rendezvous.score("http://localhost:5001", 7))
                .isEqualTo(Rendezvous.score("http://localhost:5001", 7))
                .isNotEqualTo(Rendezvous.score("http://localhost:5001", 8))
                .isNotEqualTo(Rendezvous.score("http://localhost:5002", 7));
    }
}
