package countapp.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * {@code GET /status}: whether the cluster is settled and its workers, with the whole document in {@link #json()}
 * for everything else it reports (the partition table, the config in force, totals, trend).
 */
public record Status(boolean settled, List<Worker> workers, JsonNode json) {
    public Status {
        workers = List.copyOf(workers);
    }

    /**
     * A worker as the coordinator sees it.
     *
     * @param url its address
     * @param state {@code live}, {@code starting}, {@code down} or {@code retiring}
     * @param pid its process id, when known (spawned workers)
     * @param partitions the partitions it owns
     */
    public record Worker(String url, String state, OptionalLong pid, List<Integer> partitions) {
        public Worker {
            partitions = List.copyOf(partitions);
        }
    }

    static Status of(JsonNode json) {
        List<Worker> workers = new ArrayList<>();
        for (JsonNode w : json.path("workers")) {
            List<Integer> partitions = new ArrayList<>();
            w.path("partitions").forEach(p -> partitions.add(p.asInt()));
            JsonNode pid = w.path("pid");
            workers.add(new Worker(JsonFields.text(w, "url"), JsonFields.text(w, "state"),
                    pid.canConvertToLong() && pid.isIntegralNumber() ? OptionalLong.of(pid.asLong()) : OptionalLong.empty(),
                    partitions));
        }
        return new Status(JsonFields.flag(json, "settled"), workers, json);
    }
}
