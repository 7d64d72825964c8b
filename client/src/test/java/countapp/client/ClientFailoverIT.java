package countapp.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker SIGKILLed while clients send batches: the coordinator gives up on a request after a short
 * {@code failover_timeout} (answering 503), the client retries it, and no error reaches the caller; afterwards
 * every tenant's count is exactly its number of distinct ids sent, since a re-sent batch counts each pair once.
 */
class ClientFailoverIT {
    private static final int SENDERS = 4;
    private static final int TENANTS = 8;
    private static final int BATCH = 50;

    @TempDir
    Path dir;

    @Test
    void issue22_workersSigkilledDuringRetriedBatches_noErrorReachesCallerAndCountsExact() throws Exception {
        try (LiveCluster cluster = LiveCluster.start(dir, 3, "failover_timeout: 0.3\n")) {
            AtomicLong retries = new AtomicLong();
            List<Integer> retriedStatuses = new CopyOnWriteArrayList<>();
            CountAppClient client = CountAppClient.builder().baseUrl(cluster.url()).requestTimeout(Duration.ofSeconds(20))
                    .onRetry((attempt, failure, delay) -> {
                        retries.incrementAndGet();
                        retriedStatuses.add(failure.status());
                    }).build();
            Map<String, Set<String>> sent = new ConcurrentHashMap<>();
            List<Throwable> errors = new CopyOnWriteArrayList<>();
            AtomicLong batches = new AtomicLong();
            AtomicBoolean running = new AtomicBoolean(true);
            List<Thread> senders = new ArrayList<>();
            for (int s = 0; s < SENDERS; s++) {
                int sender = s;
                Thread t = new Thread(() -> send(client, sender, sent, batches, running, errors), "sender-" + s);
                t.start();
                senders.add(t);
            }

            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> batches.get() >= 40 || !errors.isEmpty());
            // Every worker is SIGKILLed: until one is respawned no partition has an owner, so the coordinator
            // answers 503 after failover_timeout and the client must retry (one victim alone may fail over
            // within the coordinator's own retries, and then the client's retry rule would go untested).
            List<Long> victims = client.status().workers().stream().map(w -> w.pid().orElseThrow()).toList();
            victims.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly)); // SIGKILL
            long atKill = batches.get();
            Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> victims.stream().allMatch(pid -> ProcessHandle.of(pid).isEmpty()));
            cluster.awaitSettled(); // respawned and settled again, while the senders go on
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> batches.get() >= atKill + 80 || !errors.isEmpty());
            running.set(false);
            for (Thread t : senders) {
                t.join(Duration.ofMinutes(3).toMillis());
            }

            assertThat(errors).as("errors that reached the caller").isEmpty();
            assertThat(retries.get()).as("retried requests (statuses %s)", retriedStatuses).isPositive();
            CountAppClient reader = cluster.client().build();
            for (Map.Entry<String, Set<String>> tenant : sent.entrySet()) {
                assertThat(reader.count(tenant.getKey())).as("count of %s", tenant.getKey())
                        .isEqualTo(tenant.getValue().size());
            }
            System.out.printf("[failover] %d batches, %d retries (statuses %s)%n", batches.get(), retries.get(),
                    retriedStatuses.stream().distinct().toList());
        }
    }

    /** Sends batches of new ids over every tenant, each fifth batch re-sending the one before (duplicates). */
    private static void send(CountAppClient client, int sender, Map<String, Set<String>> sent, AtomicLong batches,
            AtomicBoolean running, List<Throwable> errors) {
        List<Item> previous = List.of();
        for (int b = 0; running.get(); b++) {
            List<Item> batch = new ArrayList<>();
            for (int i = 0; i < BATCH; i++) {
                batch.add(Item.of("kill-" + (i % TENANTS), "s" + sender + "-b" + b + "-" + i));
            }
            if (b % 5 == 4) {
                batch.addAll(previous);
            }
            try {
                Added added = client.add(batch);
                assertThat(added.received()).isEqualTo(batch.size());
                batch.forEach(item -> sent.computeIfAbsent(item.tenant(), t -> ConcurrentHashMap.newKeySet()).add(item.id()));
                batches.incrementAndGet();
            } catch (RuntimeException | AssertionError e) {
                errors.add(e);
                return;
            }
            previous = batch.subList(0, BATCH);
        }
    }
}
