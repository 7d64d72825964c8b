package countapp.coordinator;

import countapp.placement.Partitioner;
import countapp.placement.Rendezvous;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The partition table: which worker owns each partition, by rendezvous hashing over the workers.
 * Immutable; the supervisor builds a new one and swaps it whole when membership changes.
 */
final class Routing {
    private final Partitioner partitioner;
    private final WorkerHandle[] owners;

    private Routing(Partitioner partitioner, WorkerHandle[] owners) {
        this.partitioner = partitioner;
        this.owners = owners;
    }

    static Routing of(int partitions, Collection<WorkerHandle> workers) {
        Map<String, WorkerHandle> byUrl = new HashMap<>();
        for (WorkerHandle w : workers) {
            byUrl.put(w.url(), w);
        }
        List<String> assignment = Rendezvous.assign(partitions, byUrl.keySet());
        WorkerHandle[] owners = new WorkerHandle[partitions];
        for (int p = 0; p < partitions; p++) {
            owners[p] = byUrl.get(assignment.get(p));
        }
        return new Routing(new Partitioner(partitions), owners);
    }

    int partitions() {
        return owners.length;
    }

    Partitioner partitioner() {
        return partitioner;
    }

    int partitionOf(String tenant) {
        return partitioner.partitionOf(tenant);
    }

    /** The owner of a partition, or null if there are no workers. */
    WorkerHandle owner(int partition) {
        return owners[partition];
    }

    Set<Integer> partitionsOf(WorkerHandle worker) {
        Set<Integer> set = new TreeSet<>();
        for (int p = 0; p < owners.length; p++) {
            if (owners[p] == worker) {
                set.add(p);
            }
        }
        return set;
    }

    List<String> ownerUrls() {
        List<String> urls = new ArrayList<>(owners.length);
        for (WorkerHandle w : owners) {
            urls.add(w == null ? null : w.url());
        }
        return urls;
    }
}
