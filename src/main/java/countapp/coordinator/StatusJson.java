package countapp.coordinator;

import countapp.api.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The coordinator's {@code GET /} answer: its workers and the partition table. {@code settled} is true
 * when every partition's owner is live and has confirmed it owns the partition.
 */
final class StatusJson {
    private StatusJson() {}

    static String of(Supervisor supervisor) {
        List<Object> workers = new ArrayList<>();
        for (WorkerHandle w : supervisor.workers()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("url", w.url());
            m.put("spawned", w.endpoint.local());
            m.put("live", w.live);
            m.put("retiring", w.leaving());
            m.put("pid", w.pid() < 0 ? null : w.pid());
            m.put("partitions", w.owned);
            workers.add(m);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("status", "ok");
        doc.put("settled", settled(supervisor));
        doc.put("workers", workers);
        doc.put("partitions", supervisor.routing().ownerUrls());
        return Json.write(doc);
    }

    /** {@code GET /health}: only whether the coordinator runs and is settled, for load balancers (no key needed). */
    static String health(Supervisor supervisor) {
        return "{\"status\":\"ok\",\"settled\":" + settled(supervisor) + "}";
    }

    private static boolean settled(Supervisor supervisor) {
        Routing table = supervisor.routing();
        boolean settled = true;
        for (int p = 0; p < table.partitions(); p++) {
            WorkerHandle owner = table.owner(p);
            settled &= owner != null && owner.live && owner.owned.contains(p);
        }
        return settled;
    }
}
