package countapp.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import countapp.api.ApiException;
import countapp.api.Endpoint;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The shared dispatch, on a real Vert.x server: what every path and method of both processes goes through. */
class RouterTest {
    private final HttpClient client = HttpClient.newHttpClient();
    private Vertx vertx;
    private int port;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        Router router = new Router()
                .route(Endpoint.ITEMS, req -> Http.json(req.response(), 200, "{\"posted\":true}"), HttpMethod.POST)
                .get(Endpoint.STATUS, req -> Http.json(req.response(), 200, "{\"ok\":true}"))
                .get(Endpoint.COUNT, req -> {
                    throw new ApiException(403, "not your tenant");
                });
        HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0)
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        port = server.actualPort();
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void handle_routedMethod_reachesTheRoute() throws Exception {
        assertThat(send("POST", "/items").body()).isEqualTo("{\"posted\":true}");
        assertThat(send("GET", "/status").statusCode()).isEqualTo(200);
        assertThat(send("HEAD", "/status").statusCode()).isEqualTo(200);
    }

    @Test
    void handle_otherMethod_405WithAllowListingTheRoutedOnes() throws Exception {
        HttpResponse<String> r = send("DELETE", "/status");

        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.headers().firstValue("Allow")).hasValue("GET");
        assertThat(send("GET", "/items").headers().firstValue("Allow")).hasValue("POST");
    }

    @Test
    void handle_unroutedPath_404InJson() throws Exception {
        HttpResponse<String> r = send("GET", "/nothing/here");

        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("no such endpoint");
        assertThat(send("GET", "/metrics").statusCode()).as("an endpoint this process does not serve").isEqualTo(404);
    }

    @Test
    void handle_routeThrowsApiException_answeredWithItsStatus() throws Exception {
        HttpResponse<String> r = send("GET", "/items/a/count");

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("not your tenant");
    }

    @Test
    void route_sameMethodTwice_refusedAtSetUp() {
        Router router = new Router().get(Endpoint.STATUS, req -> { });

        assertThatThrownBy(() -> router.route(Endpoint.STATUS, req -> { }, HttpMethod.GET))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("/status");
    }
}
