package countapp.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19 item 9: a tenant erasure is a long operation on the coordinator-worker channel. A big tenant
 * is erased by a real worker under scan load (listings of the same tenant) while other clients post and
 * count on the same channel: the erasure answers 200 with every pair, nothing else fails, and a DELETE
 * re-sent while it runs joins it instead of erasing a second time.
 */
@Timeout(300)
class TenantErasureIT {
    private static final int IDS = 2_500_000;
    private static final int BATCH = 10_000;

    @TempDir
    Path dir;

    @Test
    void issue19_eraseTenant_bigTenantUnderLoad_answersEveryPairAndNothingElseFails() throws Exception {
        try (Cluster cluster = Cluster.start(dir, 1, "partitions: 4\n")) {
            cluster.awaitReady();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<?>> posts = new ArrayList<>();
            for (int b = 0; b < IDS / BATCH; b++) {
                int first = b * BATCH;
                posts.add(pool.submit(() -> {
                    List<String> ids = new ArrayList<>(BATCH);
                    for (int i = first; i < first + BATCH; i++) {
                        ids.add("id-" + i);
                    }
                    HttpResponse<String> r = cluster.post(Cluster.items("big", ids));
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                    return null;
                }));
            }
            for (Future<?> f : posts) {
                f.get(120, TimeUnit.SECONDS);
            }
            assertThat(cluster.count("big")).isEqualTo(IDS);

            AtomicBoolean loaded = new AtomicBoolean(true);
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            AtomicLong othersAdded = new AtomicLong();
            List<Future<?>> load = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                load.add(pool.submit(() -> { // scan load: listings of the tenant being erased
                    while (loaded.get()) {
                        HttpResponse<String> r = cluster.get("/items/big/ids");
                        if (r.statusCode() != 200) {
                            failures.add("listing: " + r.statusCode() + " " + r.body());
                        }
                    }
                    return null;
                }));
                int thread = t;
                load.add(pool.submit(() -> { // other clients on the same channel: adds and counts
                    for (int i = 0; loaded.get(); i++) {
                        HttpResponse<String> r = cluster.post(Cluster.items("other-" + thread, List.of("x" + i)));
                        if (r.statusCode() != 200) {
                            failures.add("add: " + r.statusCode() + " " + r.body());
                        } else {
                            othersAdded.addAndGet(Cluster.longField(r.body(), "added"));
                        }
                    }
                    return null;
                }));
            }
            Thread.sleep(500);

            long started = System.nanoTime();
            Future<HttpResponse<String>> erase = pool.submit(() -> delete(cluster, "/items/big"));
            Thread.sleep(100);
            Future<HttpResponse<String>> resent = pool.submit(() -> delete(cluster, "/items/big"));
            HttpResponse<String> erased = erase.get(240, TimeUnit.SECONDS);
            long tookMs = (System.nanoTime() - started) / 1_000_000;
            HttpResponse<String> again = resent.get(240, TimeUnit.SECONDS);
            loaded.set(false);
            for (Future<?> f : load) {
                f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();

            System.out.printf("erasing %d ids under load took %d ms%n", IDS, tookMs);
            assertThat(erased.statusCode()).as(erased.body()).isEqualTo(200);
            assertThat(Cluster.longField(erased.body(), "erased")).isEqualTo(IDS);
            assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
            assertThat(Cluster.longField(again.body(), "erased")).as("the re-send joined the running erasure")
                    .isEqualTo(IDS);
            assertThat(failures).isEmpty();
            assertThat(cluster.count("big")).isZero();
            assertThat(cluster.count("other-0") + cluster.count("other-1")).isEqualTo(othersAdded.get());
        }
    }

    private static HttpResponse<String> delete(Cluster cluster, String path) throws Exception {
        return Cluster.send(HttpRequest.newBuilder(URI.create("http://localhost:" + cluster.port + path))
                .timeout(Duration.ofMinutes(4)).DELETE().build());
    }
}
