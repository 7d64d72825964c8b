package countapp.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import countapp.placement.Rendezvous;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** The partition hand-over rules, checked on arbitrary cluster states and on simulated histories. */
class AssignmentPlannerProperties {
    private static final int MAX_PARTITIONS = 12;

    @Provide
    Arbitrary<List<AssignmentPlanner.Worker>> clusters() {
        Arbitrary<Set<Integer>> partitions = Arbitraries.integers().between(0, MAX_PARTITIONS - 1).set().ofMaxSize(MAX_PARTITIONS);
        Arbitrary<AssignmentPlanner.Worker> worker = Combinators.combine(
                Arbitraries.of(true, false), partitions, partitions, partitions.injectNull(0.5))
                .as((live, wanted, owned, pushing) -> new AssignmentPlanner.Worker("w", live, wanted, owned, pushing));
        return worker.list().ofMinSize(1).ofMaxSize(5).map(ws -> {
            List<AssignmentPlanner.Worker> named = new ArrayList<>();
            for (int i = 0; i < ws.size(); i++) {
                AssignmentPlanner.Worker w = ws.get(i);
                named.add(new AssignmentPlanner.Worker("w" + i, w.live(), w.wanted(), w.owned(), w.pushing()));
            }
            return named;
        });
    }

    /**
     * Releases before grants: whatever the state, a worker is never told to take a partition that another
     * live worker owns, is being told to own, or is told to own in the same round.
     */
    @Property(tries = 2000)
    void plan_anyState_neverGrantsWhatAnotherLiveWorkerHoldsOrIsGiven(@ForAll("clusters") List<AssignmentPlanner.Worker> ws) {
        AssignmentPlanner.Plan plan = AssignmentPlanner.plan(ws);

        for (AssignmentPlanner.Worker w : ws) {
            Set<Integer> target = plan.pushes().get(w.url());
            if (target == null) {
                continue;
            }
            assertThat(w.live()).as("only live workers are told anything").isTrue();
            Set<Integer> gained = new TreeSet<>(target);
            gained.removeAll(w.owned());
            for (AssignmentPlanner.Worker other : ws) {
                if (other.url().equals(w.url()) || !other.live()) {
                    continue;
                }
                Set<Integer> held = new HashSet<>(other.owned());
                if (other.pushing() != null) {
                    held.addAll(other.pushing());
                }
                Set<Integer> otherPush = plan.pushes().get(other.url());
                if (otherPush != null) {
                    held.addAll(otherPush);
                }
                held.retainAll(gained);
                assertThat(held).as("%s gains partitions %s holds or is given", w.url(), other.url()).isEmpty();
            }
            assertThat(w.wanted()).containsAll(target);
        }
    }

    /**
     * Simulated histories: workers die, come back, stall; assignments arrive late or fail. A stalled worker
     * keeps its partitions (its LOCK files fence them, as in the real store). At every step no partition is
     * held by two workers, and once everyone is live and the assignments arrive, every partition ends up
     * owned by exactly its owner in the table.
     */
    @Property(tries = 300)
    void simulatedHistory_neverTwoOwners_andSettlesOnTheTable(@ForAll @IntRange(min = 1, max = MAX_PARTITIONS) int partitions,
            @ForAll @IntRange(min = 1, max = 4) int workers, @ForAll long seed) {
        Random random = new Random(seed);
        Model model = new Model(partitions, workers);
        for (int step = 0; step < 200; step++) {
            switch (random.nextInt(8)) {
                case 0 -> model.die(random.nextInt(workers));
                case 1 -> model.revive(random.nextInt(workers));
                case 2 -> model.stall(random.nextInt(workers));
                case 3 -> model.failPush(random.nextInt(workers));
                default -> model.deliver(random.nextInt(workers));
            }
            model.round();
            model.assertNoPartitionHeldTwice();
        }
        for (int w = 0; w < workers; w++) {
            model.revive(w);
        }
        model.settled = false; // everyone answers again: the last round's verdict is stale
        for (int round = 0; round < 4 * workers + 4 && !model.settled; round++) {
            model.round();
            for (int w = 0; w < workers; w++) {
                model.deliver(w);
            }
            model.assertNoPartitionHeldTwice();
        }
        model.round();
        assertThat(model.settled).as("settled once everyone is live and assignments arrive: %s", model).isTrue();
        List<String> table = Rendezvous.assign(partitions, model.liveNames());
        for (int p = 0; p < partitions; p++) {
            assertThat(model.holders(p)).containsExactly(table.get(p));
        }
    }

    /** Workers as the supervisor knows them, plus what each process really holds (live or stalled). */
    private static final class Model {
        final int partitions;
        final boolean[] live;
        final List<Set<Integer>> held = new ArrayList<>();
        final List<Set<Integer>> pushing = new ArrayList<>();
        boolean settled;

        Model(int partitions, int workers) {
            this.partitions = partitions;
            this.live = new boolean[workers];
            for (int w = 0; w < workers; w++) {
                live[w] = true;
                held.add(new TreeSet<>());
                pushing.add(null);
            }
        }

        List<String> liveNames() {
            List<String> names = new ArrayList<>();
            for (int w = 0; w < live.length; w++) {
                if (live[w]) {
                    names.add("w" + w);
                }
            }
            return names;
        }

        void round() {
            List<String> table = Rendezvous.assign(partitions, liveNames());
            List<AssignmentPlanner.Worker> views = new ArrayList<>();
            for (int w = 0; w < live.length; w++) {
                Set<Integer> wanted = new TreeSet<>();
                for (int p = 0; p < partitions; p++) {
                    if (("w" + w).equals(table.get(p))) {
                        wanted.add(p);
                    }
                }
                views.add(new AssignmentPlanner.Worker("w" + w, live[w], wanted, Set.copyOf(held.get(w)), pushing.get(w)));
            }
            AssignmentPlanner.Plan plan = AssignmentPlanner.plan(views);
            for (Map.Entry<String, Set<Integer>> e : plan.pushes().entrySet()) {
                pushing.set(Integer.parseInt(e.getKey().substring(1)), e.getValue());
            }
            settled = plan.settled() && liveNames().size() > 0;
        }

        /** The assignment arrives: the worker releases what is not in it and opens the rest it can lock. */
        void deliver(int w) {
            Set<Integer> target = pushing.get(w);
            if (target == null || !live[w]) {
                return;
            }
            pushing.set(w, null);
            Set<Integer> next = new TreeSet<>();
            for (int p : target) {
                if (held.get(w).contains(p) || holders(p).isEmpty()) { // the LOCK file: only if nobody holds it
                    next.add(p);
                }
            }
            held.set(w, next);
        }

        void failPush(int w) {
            pushing.set(w, null);
        }

        void die(int w) {
            live[w] = false;
            held.get(w).clear(); // a dead process holds no locks
            pushing.set(w, null);
        }

        void stall(int w) {
            live[w] = false; // stops answering, but keeps its partitions (and their locks)
            pushing.set(w, null);
        }

        /** Answers again: a stalled process still holds what it held; a dead one was respawned empty. */
        void revive(int w) {
            live[w] = true;
        }

        List<String> holders(int p) {
            List<String> holders = new ArrayList<>();
            for (int w = 0; w < live.length; w++) {
                if (held.get(w).contains(p)) {
                    holders.add("w" + w);
                }
            }
            return holders;
        }

        @Override
        public String toString() {
            return "live " + java.util.Arrays.toString(live) + ", held " + held + ", pushing " + pushing + ", table "
                    + Rendezvous.assign(partitions, liveNames());
        }

        void assertNoPartitionHeldTwice() {
            for (int p = 0; p < partitions; p++) {
                assertThat(holders(p)).as("holders of partition %d", p).hasSizeLessThanOrEqualTo(1);
            }
        }
    }
}
