package countapp.coordinator;

import countapp.api.Json;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One round of health checks, without blocking the supervisor thread: every check is sent at once, each
 * answer is recorded on the supervisor thread as it arrives, and the round's results are handed on when
 * the last answer is in or the timeout has passed (a worker that did not answer by then failed its check).
 */
final class HealthChecks {
    /** What a health check found: an answer, or why there was none. */
    record Result(Answer answer, String failure) {
        boolean ok() {
            return answer != null;
        }
    }

    /** A worker's health answer, read once. */
    record Answer(long pid, long uptimeMillis, Set<Integer> partitions, Map<String, String> blocked) {
        static Answer parse(WorkerApi.Reply reply) {
            byte[] body = reply.body();
            return new Answer(longField(body, "pid"), longField(body, "uptime_ms"), HealthChecks.partitions(reply),
                    Json.stringMapField(body, "blocked"));
        }

        private static long longField(byte[] body, String field) {
            try {
                return Json.longField(body, field);
            } catch (IllegalArgumentException e) {
                return -1;
            }
        }
    }

    private final WorkerApi api;
    /** Runs the answers and the round's time-out. */
    private final ScheduledExecutorService supervisorThread;

    HealthChecks(WorkerApi api, ScheduledExecutorService supervisorThread) {
        this.api = api;
        this.supervisorThread = supervisorThread;
    }

    /** Checks {@code targets}; {@code done} runs on the supervisor thread, once, with a result for each. */
    void check(List<WorkerHandle> targets, long timeoutMs, Consumer<Map<WorkerHandle, Result>> done) {
        Map<WorkerHandle, Result> results = new IdentityHashMap<>();
        boolean[] finished = {false};
        Runnable finish = () -> {
            if (!finished[0]) {
                finished[0] = true;
                for (WorkerHandle w : targets) {
                    results.putIfAbsent(w, new Result(null, "no answer within " + timeoutMs + " ms"));
                }
                done.accept(results);
            }
        };
        if (targets.isEmpty()) {
            supervisorThread.execute(finish);
            return;
        }
        supervisorThread.schedule(finish, timeoutMs + 50, TimeUnit.MILLISECONDS);
        for (WorkerHandle w : targets) {
            api.health(w, timeoutMs).onComplete(ar -> supervisorThread.execute(() -> {
                if (finished[0]) {
                    return; // too late: it counted as a failed check
                }
                if (ar.failed()) {
                    results.put(w, new Result(null, describe(ar.cause())));
                } else if (ar.result().status() != 200) {
                    results.put(w, new Result(null, "status " + ar.result().status()));
                } else {
                    results.put(w, new Result(Answer.parse(ar.result()), null));
                }
                if (results.size() == targets.size()) {
                    finish.run();
                }
            }));
        }
    }

    /** The message alone when there is one ("Connection refused: …"): it goes to the log and the status page. */
    private static String describe(Throwable e) {
        return e.getMessage() == null || e.getMessage().isBlank() ? e.toString() : e.getMessage();
    }

    /** The {@code "partitions":[…]} list of a worker's health or assignment answer; empty when it has none. */
    static Set<Integer> partitions(WorkerApi.Reply reply) {
        Set<Integer> set = new TreeSet<>();
        try {
            for (long p : Json.longsField(reply.body(), "partitions")) {
                set.add((int) p);
            }
        } catch (IllegalArgumentException missing) {
            // an answer without the list owns nothing
        }
        return set;
    }
}
