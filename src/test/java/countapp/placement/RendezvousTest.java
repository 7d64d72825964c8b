package countapp.placement;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
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
    void assign_fourWorkers_spreadsPartitionsEvenly() {
        Map<String, Integer> perWorker = new HashMap<>();
        for (String owner : Rendezvous.assign(PARTITIONS, FOUR)) {
            perWorker.merge(owner, 1, Integer::sum);
        }

        assertThat(perWorker).containsOnlyKeys(FOUR);
        for (int n : perWorker.values()) {
            assertThat(n).isBetween(PARTITIONS / 4 * 8 / 10, PARTITIONS / 4 * 12 / 10);
        }
    }

    @Test
    void assign_fifthWorkerAdded_movesOnlyToNewWorkerAboutOneFifth() {
        List<String> before = Rendezvous.assign(PARTITIONS, FOUR);
        List<String> five = new ArrayList<>(FOUR);
        five.add(FIFTH);
        List<String> after = Rendezvous.assign(PARTITIONS, five);

        int moved = 0;
        for (int p = 0; p < PARTITIONS; p++) {
            if (!before.get(p).equals(after.get(p))) {
                assertThat(after.get(p)).as("partition %d moved to", p).isEqualTo(FIFTH);
                moved++;
            }
        }
        assertThat(moved / (double) PARTITIONS).isBetween(0.15, 0.25);
    }

    @Test
    void assign_workerRemoved_movesOnlyThatWorkersPartitions() {
        List<String> before = Rendezvous.assign(PARTITIONS, FOUR);
        String removed = FOUR.get(2);
        List<String> three = new ArrayList<>(FOUR);
        three.remove(removed);
        List<String> after = Rendezvous.assign(PARTITIONS, three);

        int moved = 0;
        for (int p = 0; p < PARTITIONS; p++) {
            if (before.get(p).equals(removed)) {
                assertThat(after.get(p)).isIn(three);
                moved++;
            } else {
                assertThat(after.get(p)).as("partition %d", p).isEqualTo(before.get(p));
            }
        }
        assertThat(moved / (double) PARTITIONS).isBetween(0.20, 0.30);
    }

    @Test
    void owner_noWorkers_isNull() {
        assertThat(Rendezvous.owner(3, List.of())).isNull();
        assertThat(Rendezvous.assign(4, List.of())).containsExactly(null, null, null, null);
    }

    @Test
    void owner_singleWorker_ownsEverything() {
        assertThat(Rendezvous.assign(64, List.of("w"))).containsOnly("w");
    }

    @Test
    void owner_isWorkerWithHighestScore() {
        for (int p = 0; p < 256; p++) {
            String owner = Rendezvous.owner(p, FOUR);
            for (String w : FOUR) {
                assertThat(Rendezvous.score(owner, p)).isGreaterThanOrEqualTo(Rendezvous.score(w, p));
            }
        }
    }

    @Test
    void score_sameInputs_isStableAcrossCalls() {
        assertThat(Rendezvous.score("http://localhost:5001", 7))
                .isEqualTo(Rendezvous.score("http://localhost:5001", 7))
                .isNotEqualTo(Rendezvous.score("http://localhost:5001", 8))
                .isNotEqualTo(Rendezvous.score("http://localhost:5002", 7));
    }
}
