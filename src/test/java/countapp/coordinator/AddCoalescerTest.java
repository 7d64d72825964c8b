package countapp.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import countapp.api.Limits;
import countapp.config.ClusterSecret;
import countapp.config.WorkerEndpoint;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The coordinator's add path against an in-process fake worker whose answers the test chooses. */
@Timeout(30)
class AddCoalescerTest {
    private Vertx vertx;
    private HttpServer fakeWorker;
    private WorkerClient client;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        // A worker that answers 200 without the "added" and "segments" fields of a real worker.
        fakeWorker = vertx.createHttpServer()
                .requestHandler(req -> req.body().onSuccess(b -> vertx.setTimer(50,
                        t -> req.response().setStatusCode(200).end("{\"received\":1}"))))
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        client = new WorkerClient(vertx, ClusterSecret.random());
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void send_answersWithoutAddedOrSegments_everyRequestFailsInsteadOfHanging() throws Exception {
        AddCoalescer coalescer = new AddCoalescer(client, () -> Limits.DEFAULT);
        WorkerHandle worker = new WorkerHandle(new WorkerEndpoint("http://127.0.0.1:" + fakeWorker.actualPort(),
                "127.0.0.1", fakeWorker.actualPort(), true));
        List<Future<AddCoalescer.Result>> sent = new ArrayList<>();
        CompletableFuture<Void> allSent = new CompletableFuture<>();
        vertx.runOnContext(v -> {
            // More than MAX_IN_FLIGHT at once: the rest queue and go out merged, with ?segments=.
            for (int i = 0; i < 6; i++) {
                sent.add(coalescer.send(worker, ("[{\"id\":\"" + i + "\",\"tenant\":\"t\"}]").getBytes(StandardCharsets.UTF_8), 1));
            }
            allSent.complete(null);
        });
        allSent.get(10, TimeUnit.SECONDS);

        Future.join(new ArrayList<>(sent)).toCompletionStage().toCompletableFuture().handle((r, e) -> null)
                .get(10, TimeUnit.SECONDS);

        assertThat(sent).hasSize(6).allSatisfy(f -> assertThat(f.failed()).as("%s", f).isTrue());
    }
}
