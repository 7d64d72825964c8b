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
import java.util.function.LongSupplier;

/**
 * One round of health checks, without blocking the supervisor thread: every check is sent at once, each
 * answer is recorded on the supervisor thread as it arrives, and the round's results are handed on when
 * the last answer is in or the timeout has passed (a worker that did not answer by then failed its check).
 *
 * <p>A round's time-out measures the workers' silence, not the coordinator's: when its timer fires late
 * (the coordinator was stopped or starved), answers that arrived meanwhile are still in their sockets, so
 * the round waits one more time-out before it calls anyone silent.
 */
final class HealthChecks {
    /**
     * What a health check found: an answer, or why there was none; {@code silent} when the worker simply did
     * not answer in time (it may be slow), rather than refusing the connection or failing the request.
     */
    record Result(Answer answer, String failure, boolean silent) {
        static Result answered(Answer answer) {
            return new Result(answer, null, false);
        }

        static Result failed(String failure, boolean silent) {
            return new Result(null, failure, silent);
        }

        boolean ok() {
            return answer != null;
        }
    }

    /** A timer this much past its time means the coordinator itself did not run. */
    private static final long LATE_MS = 500;

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
    private final LongSupplier clockMillis;

    HealthChecks(WorkerApi api, ScheduledExecutorService supervisorThread, LongSupplier clockMillis) {
        this.api = api;
        this.supervisorThread = supervisorThread;
        this.clockMillis = clockMillis;
    }

    /** Checks {@code targets}; {@code done} runs on the supervisor thread, once, with a result for each. */
    void check(List<WorkerHandle> targets, long timeoutMs, Consumer<Map<WorkerHandle, Result>> done) {
        Map<WorkerHandle, Result> results = new IdentityHashMap<>();
        boolean[] finished = {false};
        Runnable finish = () -> {
            if (!finished[0]) {
                finished[0] = true;
                for (WorkerHandle w : targets) {
                    results.putIfAbsent(w, Result.failed("no answer within " + timeoutMs + " ms", true));
                }
                done.accept(results);
            }
        };
        if (targets.isEmpty()) {
            supervisorThread.execute(finish);
            return;
        }
        long due = clockMillis.getAsLong() + timeoutMs + 50;
        supervisorThread.schedule(() -> {
            if (clockMillis.getAsLong() - due > LATE_MS) {
                supervisorThread.schedule(finish, timeoutMs, TimeUnit.MILLISECONDS);
            } else {
                finish.run();
            }
        }, timeoutMs + 50, TimeUnit.MILLISECONDS);
        for (WorkerHandle w : targets) {
            api.health(w, timeoutMs).onComplete(ar -> supervisorThread.execute(() -> {
                if (finished[0]) {
                    return; // too late: it counted as a failed check
                }
                if (ar.failed()) {
                    results.put(w, Result.failed(describe(ar.cause()), timedOut(ar.cause())));
                } else if (ar.result().status() != 200) {
                    results.put(w, Result.failed("status " + ar.result().status(), false));
                } else {
                    results.put(w, Result.answered(Answer.parse(ar.result())));
                }
                if (results.size() == targets.size()) {
                    finish.run();
                }
            }));
        }
    }

    /** Whether a failed check failed by waiting (the worker may be slow) rather than by a refusal or an error. */
    private static boolean timedOut(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String text = t.getClass().getSimpleName() + " " + t.getMessage();
            if (t instanceof java.util.concurrent.TimeoutException || text.toLowerCase(java.util.Locale.ROOT).contains("timeout")
                    || text.toLowerCase(java.util.Locale.ROOT).contains("timed out")) {
                return true;
            }
        }
        return false;
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
