package countapp.coordinator;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides which partitions each live worker is told to own next, so that a partition moves between
 * workers without ever being opened by two of them: a worker is given a partition only once no other live
 * worker owns it or is being told to own it, so releases always come before grants. A pure function of
 * what the supervisor knows, tested on its own (see AssignmentPlannerProperties).
 */
final class AssignmentPlanner {
    private AssignmentPlanner() {}

    /**
     * What the planner needs of one worker.
     *
     * @param url the worker's name
     * @param live whether it answers health checks (only live workers are told anything)
     * @param wanted the partitions the table gives it
     * @param owned the partitions it last confirmed owning
     * @param pushing the assignment on its way to it, or null
     */
    record Worker(String url, boolean live, Set<Integer> wanted, Set<Integer> owned, Set<Integer> pushing) {}

    /**
     * @param pushes the assignment to send now, per worker (in the order of the workers given)
     * @param settled whether every live worker owns exactly what the table gives it, with nothing on its way
     */
    record Plan(Map<String, Set<Integer>> pushes, boolean settled) {}

    /**
     * Plans one round. Workers are taken in order and each planned push counts for the workers after it,
     * as it will be on its way by then.
     */
    static Plan plan(List<Worker> workers) {
        Map<String, Set<Integer>> pushes = new LinkedHashMap<>();
        Map<String, Set<Integer>> pushing = new LinkedHashMap<>();
        for (Worker w : workers) {
            pushing.put(w.url(), w.pushing());
        }
        boolean settled = true;
        for (Worker w : workers) {
            if (!w.live()) {
                continue;
            }
            if (w.wanted().equals(w.owned()) && pushing.get(w.url()) == null) {
                continue;
            }
            settled = false;
            if (pushing.get(w.url()) != null) {
                // One assignment at a time: until its answer arrives, what it does is unknown, so it stays
                // claimed, and a newer one could never safely replace it.
                continue;
            }
            Set<Integer> target = new TreeSet<>(w.wanted());
            target.removeAll(claimedByOthers(w, workers, pushing)); // gain a partition only once released
            if (target.equals(w.owned())) {
                continue; // nothing new to tell it: wait for the others' releases
            }
            pushes.put(w.url(), target);
            pushing.put(w.url(), target);
        }
        return new Plan(pushes, settled);
    }

    /** Partitions another live worker owns or is being told to own. */
    private static Set<Integer> claimedByOthers(Worker self, List<Worker> workers, Map<String, Set<Integer>> pushing) {
        Set<Integer> claimed = new HashSet<>();
        for (Worker w : workers) {
            if (!w.url().equals(self.url()) && w.live()) {
                claimed.addAll(w.owned());
                Set<Integer> p = pushing.get(w.url());
                if (p != null) {
                    claimed.addAll(p);
                }
            }
        }
        return claimed;
    }
}
