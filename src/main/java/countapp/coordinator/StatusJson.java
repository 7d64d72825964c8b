package countapp.coordinator;

import countapp.api.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The coordinator's {@code GET /} answer: its workers and the partition table. */
final class StatusJson {
    private StatusJson() {}

    static String of(Supervisor supervisor) {
        List<Object> workers = new ArrayList<>();
        for (WorkerHandle w : supervisor.workers()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("url", w.url());
            m.put("spawned", w.endpoint.local());
            m.put("ready", w.ready);
            m.put("pid", w.pid() < 0 ? null : w.pid());
            m.put("partitions", w.assigned);
            workers.add(m);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("status", "ok");
        doc.put("workers", workers);
        doc.put("partitions", supervisor.routing().ownerUrls());
        return Json.write(doc);
    }
}
