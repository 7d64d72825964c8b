package countapp.it;

import static countapp.it.Cluster.items;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundled OpenAPI document against real answers: every request here is checked against the operation it
 * is documented under (status documented, content type documented, required headers sent, body valid for
 * the documented schema, which names every top-level field), and the last test fails if a documented
 * status that a test can provoke was never provoked. Two clusters: one open with windows kept, one with
 * API keys and small limits for 401, 403 and 413.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpenApiIT {
    static final String DOCUMENT = "/countapp/api/openapi.json";
    static final String WINDOWS = "windows:\n  day: 35\n  month: 13\n";
    static final String ADMIN = "openapi-admin-key-0123456789";
    static final String ACME = "openapi-acme-key-0123456789";
    /** The statuses a test can provoke at will; each one documented for an operation must be seen. */
    static final Set<Integer> PROVOKED = Set.of(200, 400, 401, 403, 404, 413);

    @TempDir
    static Path openDir;
    @TempDir
    static Path authDir;
    static Cluster open;
    static Cluster secured;
    static JsonObject doc;
    static Contract contract;
    /** The UTC day the items posted without a time count in (a run across midnight is not supported). */
    static LocalDate today;

    @BeforeAll
    static void start() throws Exception {
        today = LocalDate.now(ZoneOffset.UTC);
        doc = bundled();
        contract = new Contract(doc);
        open = Cluster.start(openDir, 2, WINDOWS);
        String auth = "auth:\n  keys:\n    - key: " + ADMIN + "\n      tenants: [\"*\"]\n      ops: true\n"
                + "    - key: " + ACME + "\n      tenants: [acme]\n";
        secured = Cluster.start(authDir, 1, WINDOWS + "limits:\n  max_items: 5\n" + auth,
                Cluster.Options.defaults().opsKey(ADMIN));
    }

    @AfterAll
    static void stop() {
        if (open != null) {
            open.close();
        }
        if (secured != null) {
            secured.close();
        }
    }

    static JsonObject bundled() throws IOException {
        try (InputStream in = OpenApiIT.class.getResourceAsStream(DOCUMENT)) {
            assertThat(in).as("%s on the class path", DOCUMENT).isNotNull();
            return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    // ---- the document itself ----

    @Test
    void openapiJson_servedByTheCoordinator_isTheBundledDocument() throws Exception {
        HttpResponse<String> r = contract.check("GET", "/openapi.json", send(open, "GET", "/openapi.json", null, null));

        assertThat(new JsonObject(r.body())).isEqualTo(doc);
        contract.check("GET", "/openapi.json", send(secured, "GET", "/openapi.json", null, null));
    }

    @Test
    void document_everyReferenceAndPathParameter_resolves() {
        assertThat(doc.getString("openapi")).startsWith("3.1.");
        List<String> refs = new ArrayList<>();
        collectRefs(doc, refs);
        assertThat(refs).isNotEmpty().allSatisfy(ref -> assertThat(contract.resolve(ref)).as(ref).isNotNull());
        for (String path : doc.getJsonObject("paths").fieldNames()) {
            JsonObject item = doc.getJsonObject("paths").getJsonObject(path);
            Set<String> templated = Pattern.compile("\\{([^}]+)}").matcher(path).results().map(m -> m.group(1))
                    .collect(Collectors.toCollection(TreeSet::new));
            // Declared on each operation, not on the path: some generators drop path-level parameters.
            assertThat(item.containsKey("parameters")).as("path-level parameters on %s", path).isFalse();
            for (String method : Contract.operations(item)) {
                Set<String> declared = new TreeSet<>();
                JsonObject operation = item.getJsonObject(method.toLowerCase(Locale.ROOT));
                for (Object p : operation.getJsonArray("parameters", new JsonArray())) {
                    JsonObject param = contract.deref((JsonObject) p);
                    if ("path".equals(param.getString("in"))) {
                        declared.add(param.getString("name"));
                    }
                }
                assertThat(declared).as("path parameters of %s %s", method, path).isEqualTo(templated);
            }
            assertThat(Contract.operations(item)).as("operations of %s", path).isNotEmpty();
        }
    }

    @Test
    void issue22_document_whatGeneratorsNeed() {
        JsonObject count = contract.resolve("#/components/schemas/Count");
        assertThat(count.containsKey("oneOf")).as("Count as an undiscriminated oneOf").isFalse();
        assertThat(count.getString("type")).isEqualTo("object");
        assertThat(count.getJsonObject("properties").fieldNames()).containsExactlyInAnyOrder("count", "window", "at",
                "from", "to");
        List<String> untyped = new ArrayList<>();
        collectIntegersWithoutInt64(doc, "#", untyped);
        assertThat(untyped).as("integers without format int64").isEmpty();
        assertThat(doc.getJsonObject("components").getJsonObject("schemas").fieldNames()).contains("ErrorBody")
                .doesNotContain("Error");
        assertThat(doc.getJsonArray("servers").getJsonObject(0).getString("url")).startsWith("http://");
        JsonArray counts = doc.getJsonObject("paths").getJsonObject("/counts").getJsonObject("get").getJsonArray("security");
        assertThat(counts).as("/counts: open when auth is off, Bearer or Basic when on")
                .containsExactlyInAnyOrder(new JsonObject(), new JsonObject().put("apiKey", new JsonArray()),
                        new JsonObject().put("opsBasic", new JsonArray()));
        assertThat(doc.getJsonArray("security")).contains(new JsonObject());
        for (String path : List.of("/counts", "/items/{tenant}/ids")) {
            JsonObject content = doc.getJsonObject("paths").getJsonObject(path).getJsonObject("get")
                    .getJsonObject("responses").getJsonObject("200").getJsonObject("content");
            assertThat(content.fieldNames()).as(path).containsExactly("application/x-ndjson");
            JsonObject schema = content.getJsonObject("application/x-ndjson").getJsonObject("schema");
            assertThat(schema.getString("format")).as("%s: a stream a generated client reads to the end", path)
                    .isEqualTo("binary");
            assertThat(schema.getJsonObject("contentSchema").getString("$ref")).as("%s: the schema of one line", path)
                    .startsWith("#/components/schemas/");
        }
    }

    private static void collectIntegersWithoutInt64(Object node, String at, List<String> found) {
        if (node instanceof JsonObject) {
            JsonObject o = (JsonObject) node;
            Object type = o.getValue("type");
            boolean integer = "integer".equals(type) || (type instanceof JsonArray && ((JsonArray) type).contains("integer"));
            if (integer && !"int64".equals(o.getString("format"))) {
                found.add(at);
            }
            o.forEach(e -> collectIntegersWithoutInt64(e.getValue(), at + "/" + e.getKey(), found));
        } else if (node instanceof JsonArray) {
            JsonArray a = (JsonArray) node;
            for (int i = 0; i < a.size(); i++) {
                collectIntegersWithoutInt64(a.getValue(i), at + "/" + i, found);
            }
        }
    }

    @Test
    void checker_undocumentedOrMissingField_reported() {
        JsonObject received = contract.resolve("#/components/schemas/Received");

        assertThat(contract.problems(new JsonObject("{\"received\":1,\"added\":1}"), received, "$")).isEmpty();
        assertThat(contract.problems(new JsonObject("{\"received\":1}"), received, "$")).containsExactly("$: no \"added\"");
        assertThat(contract.problems(new JsonObject("{\"received\":1,\"added\":1,\"x\":2}"), received, "$"))
                .containsExactly("$: undocumented field \"x\"");
        assertThat(contract.problems(new JsonObject("{\"received\":\"1\",\"added\":1}"), received, "$"))
                .containsExactly("$.received: expected integer, got \"1\"");
        JsonObject count = contract.resolve("#/components/schemas/Count");
        assertThat(contract.problems(new JsonObject("{\"count\":1,\"window\":\"week\",\"at\":\"2026-11\"}"), count, "$"))
                .isNotEmpty();
        assertThat(contract.problems(new JsonObject("{\"count\":1,\"window\":\"month\",\"at\":\"2026-11\"}"), count, "$"))
                .isEmpty();
    }

    // ---- items ----

    @Test
    void postItems_validBatchWithAndWithoutTimestamps_200Received() throws Exception {
        long nowMs = System.currentTimeMillis();
        String body = "[{\"id\":\"p1\",\"tenant\":\"oa-post\"},{\"id\":\"p2\",\"tenant\":\"oa-post\",\"ts\":\""
                + Instant.ofEpochMilli(nowMs) + "\"},{\"id\":\"p3\",\"tenant\":\"oa-post\",\"ts\":" + nowMs + "}]";

        HttpResponse<String> r = contract.check("POST", "/items", send(open, "POST", "/items", body, null));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(new JsonObject(r.body())).isEqualTo(new JsonObject("{\"received\":3,\"added\":3}"));
    }

    @Test
    void postItems_malformedOrFutureOrBadTimestamp_400() throws Exception {
        String future = Instant.now().plus(Duration.ofMinutes(10)).toString();
        eachOf(List.of("not json", "[{\"id\":\"x\"}]", "{}",
                "[{\"id\":\"f\",\"tenant\":\"oa-post\",\"ts\":\"" + future + "\"}]",
                "[{\"id\":\"f\",\"tenant\":\"oa-post\",\"ts\":\"yesterday\"}]",
                "[{\"id\":\"f\",\"tenant\":\"oa-post\",\"ts\":true}]"), body -> {
            HttpResponse<String> r = contract.check("POST", "/items", send(open, "POST", "/items", body, null));

            assertThat(r.statusCode()).as("%s: %s", body, r.body()).isEqualTo(400);
        });
    }

    @Test
    void postItems_moreThanMaxItems_413WithLimit() throws Exception {
        String body = items("acme", IntStream.range(0, 6).mapToObj(i -> "big" + i).collect(Collectors.toList()));

        HttpResponse<String> r = contract.check("POST", "/items", send(secured, "POST", "/items", body, ADMIN));

        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(new JsonObject(r.body()).getString("limit")).isEqualTo("max_items");
    }

    @Test
    void count_everyWindowForm_200EchoingTheWindow() throws Exception {
        open.post(items("oa-count", List.of("a", "b", "c")));
        String day = today.toString();
        String month = YearMonth.from(today).toString();
        Map<String, JsonObject> expected = Map.of(
                "", new JsonObject().put("count", 3),
                "?window=day&at=" + day, new JsonObject().put("count", 3).put("window", "day").put("at", day),
                "?window=month&at=" + month, new JsonObject().put("count", 3).put("window", "month").put("at", month),
                "?from=" + today.minusDays(2) + "&to=" + day,
                new JsonObject().put("count", 3).put("from", today.minusDays(2).toString()).put("to", day));
        eachOf(expected.entrySet(), e -> {
            HttpResponse<String> r = contract.check("GET", "/items/{tenant}/count",
                    send(open, "GET", "/items/oa-count/count" + e.getKey(), null, null));

            assertThat(r.statusCode()).as("%s: %s", e.getKey(), r.body()).isEqualTo(200);
            assertThat(new JsonObject(r.body())).as(e.getKey()).isEqualTo(e.getValue());
        });
    }

    @Test
    void count_badParametersOrWindowNotKept_400() throws Exception {
        // The last: a tenant that is not UTF-8 once percent-decoded.
        eachOf(List.of("/items/oa-count/count?window=week&at=" + today, "/items/oa-count/count?window=day",
                "/items/oa-count/count?window=day&at=2026-13-01", "/items/oa-count/count?window=month&at=" + today,
                "/items/oa-count/count?window=day&at=2000-01-01",
                "/items/oa-count/count?from=" + today + "&to=" + today.minusDays(1), "/items/oa-count/count?from=" + today,
                "/items/oa-count/count?window=day&at=" + today + "&from=" + today + "&to=" + today,
                "/items/%C3%28/count"), path -> {
            HttpResponse<String> r = contract.check("GET", "/items/{tenant}/count", send(open, "GET", path, null, null));

            assertThat(r.statusCode()).as("%s: %s", path, r.body()).isEqualTo(400);
        });
    }

    @Test
    void tenantPaths_emptyTenantOrId_404() throws Exception {
        Map<String, String[]> requests = Map.of(
                "/items//count", new String[] {"GET", "/items/{tenant}/count"},
                "/items//ids", new String[] {"GET", "/items/{tenant}/ids"},
                "/items//ids/x", new String[] {"DELETE", "/items/{tenant}/ids/{id}"},
                "/items/oa-x/ids/", new String[] {"DELETE", "/items/{tenant}/ids/{id}"},
                "/items/", new String[] {"DELETE", "/items/{tenant}"});
        eachOf(requests.entrySet(), e -> {
            String method = e.getValue()[0];
            HttpResponse<String> r = contract.check(method, e.getValue()[1], send(open, method, e.getKey(), null, null));

            assertThat(r.statusCode()).as("%s %s: %s", method, e.getKey(), r.body()).isEqualTo(404);
        });
    }

    @Test
    void ids_tenant_200JsonLinesOfItems() throws Exception {
        open.post(items("oa ids/x", List.of("i1", "i2")));

        HttpResponse<String> r = contract.check("GET", "/items/{tenant}/ids",
                send(open, "GET", "/items/" + Cluster.encode("oa ids/x") + "/ids", null, null));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body().lines()).containsExactly("{\"id\":\"i1\",\"tenant\":\"oa ids/x\"}",
                "{\"id\":\"i2\",\"tenant\":\"oa ids/x\"}");
        assertThat(contract.check("GET", "/items/{tenant}/ids", send(open, "GET", "/items/%C3%28/ids", null, null))
                .statusCode()).isEqualTo(400);
    }

    @Test
    void erase_pairThenTenant_200ErasedCounts() throws Exception {
        open.post(items("oa-erase", List.of("e1", "e2", "e3")));

        HttpResponse<String> one = contract.check("DELETE", "/items/{tenant}/ids/{id}",
                send(open, "DELETE", "/items/oa-erase/ids/e1", null, null));
        HttpResponse<String> again = contract.check("DELETE", "/items/{tenant}/ids/{id}",
                send(open, "DELETE", "/items/oa-erase/ids/e1", null, null));
        HttpResponse<String> rest = contract.check("DELETE", "/items/{tenant}",
                send(open, "DELETE", "/items/oa-erase", null, null));

        assertThat(one.body()).isEqualTo("{\"erased\":1}");
        assertThat(again.body()).isEqualTo("{\"erased\":0}");
        assertThat(rest.body()).isEqualTo("{\"erased\":2}");
        assertThat(open.count("oa-erase")).isZero();
        assertThat(contract.check("DELETE", "/items/{tenant}", send(open, "DELETE", "/items/%C3%28", null, null))
                .statusCode()).isEqualTo(400);
        assertThat(contract.check("DELETE", "/items/{tenant}/ids/{id}",
                send(open, "DELETE", "/items/oa-erase/ids/%C3%28", null, null)).statusCode()).isEqualTo(400);
    }

    // ---- billing ----

    @Test
    void counts_allTimeDayAndMonth_200JsonLinePerTenant() throws Exception {
        open.post(items("oa-bill", List.of("b1", "b2")));
        eachOf(List.of("", "?window=day&at=" + today, "?window=month&at=" + YearMonth.from(today)), query -> {
            HttpResponse<String> r = contract.check("GET", "/counts", send(open, "GET", "/counts" + query, null, null));

            assertThat(r.statusCode()).as("%s: %s", query, r.body()).isEqualTo(200);
            assertThat(r.body().lines()).as(query).contains("{\"tenant\":\"oa-bill\",\"count\":2}");
        });
    }

    @Test
    void counts_badWindow_400() throws Exception {
        eachOf(List.of("?window=year&at=2026", "?window=day", "?window=day&at=2000-01-01",
                "?from=" + today + "&to=" + today), query -> {
            HttpResponse<String> r = contract.check("GET", "/counts", send(open, "GET", "/counts" + query, null, null));

            assertThat(r.statusCode()).as("%s: %s", query, r.body()).isEqualTo(400);
        });
    }

    // ---- ops ----

    @Test
    void opsEndpoints_authOff_200() throws Exception {
        eachOf(List.of("/health", "/", "/status", "/metrics", "/dashboard"), path -> {
            HttpResponse<String> r = contract.check("GET", path, send(open, "GET", path, null, null));

            assertThat(r.statusCode()).as(path).isEqualTo(200);
        });
    }

    // ---- auth ----

    @Test
    void everyKeyedOperation_noOrUnknownKey_401() throws Exception {
        eachOf(keyedRequests("acme"), op -> {
            for (String key : new String[] {null, "not-a-key"}) {
                HttpResponse<String> r = contract.check(op[0], op[1], send(secured, op[0], op[2], op[3], key));

                assertThat(r.statusCode()).as("%s %s with %s: %s", op[0], op[2], key, r.body()).isEqualTo(401);
            }
        });
    }

    @Test
    void everyKeyedOperation_keyWithoutTheTenantOrOps_403() throws Exception {
        eachOf(keyedRequests("other"), op -> {
            HttpResponse<String> r = contract.check(op[0], op[1], send(secured, op[0], op[2], op[3], ACME));

            assertThat(r.statusCode()).as("%s %s: %s", op[0], op[2], r.body()).isEqualTo(403);
        });
    }

    @Test
    void everyOperation_rightKey_200AndPublicOnesWithoutKey() throws Exception {
        contract.check("POST", "/items", send(secured, "POST", "/items", items("acme", List.of("k1")), ACME));
        eachOf(keyedRequests("acme"), op -> {
            String key = op[1].startsWith("/items") ? ACME : ADMIN;
            HttpResponse<String> r = contract.check(op[0], op[1], send(secured, op[0], op[2], op[3], key));

            assertThat(r.statusCode()).as("%s %s: %s", op[0], op[2], r.body()).isEqualTo(200);
        });
        eachOf(List.of("/health", "/openapi.json"), path ->
                assertThat(contract.check("GET", path, send(secured, "GET", path, null, null)).statusCode()).isEqualTo(200));
    }

    /** {method, template, path, body} of every operation that needs a key, on {@code tenant}'s paths. */
    static List<String[]> keyedRequests(String tenant) {
        String items = "[{\"id\":\"k1\",\"tenant\":\"" + tenant + "\"}]";
        return List.of(
                new String[] {"POST", "/items", "/items", items},
                new String[] {"GET", "/items/{tenant}/count", "/items/" + tenant + "/count", null},
                new String[] {"GET", "/items/{tenant}/ids", "/items/" + tenant + "/ids", null},
                new String[] {"DELETE", "/items/{tenant}/ids/{id}", "/items/" + tenant + "/ids/gone", null},
                new String[] {"DELETE", "/items/{tenant}", "/items/" + tenant, null},
                new String[] {"GET", "/counts", "/counts?window=day&at=" + today, null},
                new String[] {"GET", "/", "/", null},
                new String[] {"GET", "/status", "/status", null},
                new String[] {"GET", "/metrics", "/metrics", null},
                new String[] {"GET", "/dashboard", "/dashboard", null});
    }

    // ---- what is not documented ----

    @Test
    void everyDocumentedPath_undocumentedMethod_405AllowingTheDocumentedOnes() throws Exception {
        Map<String, String> examples = Map.of("{tenant}", "oa-405", "{id}", "x");
        eachOf(doc.getJsonObject("paths").fieldNames(), template -> {
            String path = template;
            for (Map.Entry<String, String> e : examples.entrySet()) {
                path = path.replace(e.getKey(), e.getValue());
            }
            Set<String> documented = Contract.operations(doc.getJsonObject("paths").getJsonObject(template));
            String undocumented = List.of("PUT", "PATCH", "DELETE", "POST").stream()
                    .filter(m -> !documented.contains(m)).findFirst().orElseThrow();

            HttpResponse<String> r = contract.check(undocumented, template, send(open, undocumented, path, null, null));

            assertThat(r.statusCode()).as("%s %s: %s", undocumented, path, r.body()).isEqualTo(405);
        });
    }

    @Test
    void undocumentedPaths_404NoSuchEndpoint() throws Exception {
        // The worker-only endpoints among them: the coordinator must not serve them to the public.
        // (/items/t/other is the path of tenant "t/other", which only DELETE serves: a 405, not a 404.)
        eachOf(List.of("/nope", "/partitions", "/kill", "/channel", "/itemz/t/count", "/openapi.yaml"), path -> {
            HttpResponse<String> r = send(open, "GET", path, null, null);

            assertThat(r.statusCode()).as(path).isEqualTo(404);
            assertThat(contract.problems(new JsonObject(r.body()), contract.resolve("#/components/schemas/ErrorBody"), path))
                    .isEmpty();
            assertThat(contract.documentedTemplate(path)).as("%s is not documented", path).isNull();
        });
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void everyDocumentedOperation_everyProvokableStatus_seen() {
        Set<String> missing = new TreeSet<>();
        JsonObject paths = doc.getJsonObject("paths");
        for (String template : paths.fieldNames()) {
            JsonObject item = paths.getJsonObject(template);
            for (String method : Contract.operations(item)) {
                for (String status : item.getJsonObject(method.toLowerCase(Locale.ROOT)).getJsonObject("responses")
                        .fieldNames()) {
                    String exchange = method + " " + template + " " + status;
                    if (PROVOKED.contains(Integer.parseInt(status)) && !contract.seen.contains(exchange)) {
                        missing.add(exchange);
                    }
                }
            }
            if (item.containsKey("x-method-not-allowed") && contract.seen.stream()
                    .noneMatch(s -> s.endsWith(" " + template + " 405"))) {
                missing.add("any undocumented method on " + template + " 405");
            }
        }
        assertThat(missing).as("documented answers no test provoked").isEmpty();
    }

    /** Runs {@code test} on every case and reports every failing case, not only the first. */
    static <T> void eachOf(Iterable<T> cases, Case<T> test) {
        SoftAssertions softly = new SoftAssertions();
        for (T c : cases) {
            softly.check(() -> test.run(c));
        }
        softly.assertAll();
    }

    interface Case<T> {
        void run(T c) throws Exception;
    }

    static HttpResponse<String> send(Cluster cluster, String method, String path, String body, String key)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + cluster.port + path))
                .timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return Cluster.send(b.build());
    }

    static void collectRefs(Object node, List<String> refs) {
        if (node instanceof JsonObject) {
            JsonObject o = (JsonObject) node;
            if (o.getValue("$ref") instanceof String) {
                refs.add(o.getString("$ref"));
            }
            o.forEach(e -> collectRefs(e.getValue(), refs));
        } else if (node instanceof JsonArray) {
            ((JsonArray) node).forEach(v -> collectRefs(v, refs));
        }
    }

    /**
     * Checks real answers against the document, and records which (method, template, status) were seen. The
     * schema check covers what the document uses: {@code $ref}, {@code oneOf} (exactly one branch), {@code
     * type} (one or a list), {@code const}, {@code enum}, {@code required}, {@code properties}, {@code
     * additionalProperties} (false, or a schema), {@code items}, {@code minLength}, {@code minimum} and
     * {@code pattern}.
     */
    static final class Contract {
        private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");

        private final JsonObject doc;
        final Set<String> seen = ConcurrentHashMap.newKeySet();

        Contract(JsonObject doc) {
            this.doc = doc;
        }

        /** The documented methods of a path item, upper case. */
        static Set<String> operations(JsonObject item) {
            return item.fieldNames().stream().filter(METHODS::contains).map(m -> m.toUpperCase(Locale.ROOT))
                    .collect(Collectors.toCollection(TreeSet::new));
        }

        /** The document's template that a raw path (without query) would match, or null. */
        String documentedTemplate(String path) {
            for (String template : doc.getJsonObject("paths").fieldNames()) {
                if (path.matches(template.replaceAll("\\{[^}]+}", "[^/]+"))) {
                    return template;
                }
            }
            return null;
        }

        /** Asserts that {@code r} is an answer documented for {@code method template}; returns it. */
        HttpResponse<String> check(String method, String template, HttpResponse<String> r) {
            String where = method + " " + r.uri().getRawPath() + " (" + template + ") answered " + r.statusCode();
            JsonObject item = doc.getJsonObject("paths").getJsonObject(template);
            assertThat(item).as("%s: %s is documented", where, template).isNotNull();
            JsonObject response;
            JsonObject operation = item.getJsonObject(method.toLowerCase(Locale.ROOT));
            if (operation == null) {
                assertThat(r.statusCode()).as("%s: an undocumented method: %s", where, r.body()).isEqualTo(405);
                response = deref(item.getJsonObject("x-method-not-allowed"));
                assertThat(response).as("%s: the path documents its 405", where).isNotNull();
                String allow = r.headers().firstValue("Allow").orElse("");
                assertThat(Set.of(allow.split(",\\s*"))).as("%s: Allow", where).isEqualTo(operations(item).stream()
                        .filter(m -> !m.equals("HEAD")).collect(Collectors.toSet()));
            } else {
                JsonObject responses = operation.getJsonObject("responses");
                assertThat(responses.fieldNames()).as("%s: documented statuses; body %s", where, r.body())
                        .contains(Integer.toString(r.statusCode()));
                response = deref(responses.getJsonObject(Integer.toString(r.statusCode())));
            }
            seen.add(method + " " + template + " " + r.statusCode());
            JsonObject headers = response.getJsonObject("headers", new JsonObject());
            for (String header : headers.fieldNames()) {
                if (deref(headers.getJsonObject(header)).getBoolean("required", false)) {
                    assertThat(r.headers().firstValue(header)).as("%s: header %s", where, header).isPresent();
                }
            }
            JsonObject content = response.getJsonObject("content");
            if (content == null) {
                assertThat(r.body()).as("%s: no body documented", where).isEmpty();
                return r;
            }
            String type = r.headers().firstValue("Content-Type").orElse("").split(";")[0].trim().toLowerCase(Locale.ROOT);
            assertThat(content.fieldNames()).as("%s: content type", where).contains(type);
            JsonObject schema = content.getJsonObject(type).getJsonObject("schema");
            List<String> problems = new ArrayList<>();
            if (type.equals("application/json")) {
                problems.addAll(problems(new JsonArray("[" + r.body() + "]").getValue(0), schema, "$"));
            } else if (type.equals("application/x-ndjson")) {
                // A byte stream to generators; contentSchema is the schema of every line.
                JsonObject line = schema.getJsonObject("contentSchema", schema);
                List<String> lines = r.body().lines().collect(Collectors.toList());
                for (int i = 0; i < lines.size(); i++) {
                    problems.addAll(problems(new JsonObject(lines.get(i)), line, "line " + (i + 1)));
                }
            } else {
                problems.addAll(problems(r.body(), schema, "$"));
            }
            assertThat(problems).as("%s: body %s", where, abbreviate(r.body())).isEmpty();
            return r;
        }

        JsonObject resolve(String ref) {
            assertThat(ref).startsWith("#/");
            Object node = doc;
            for (String part : ref.substring(2).split("/")) {
                String name = part.replace("~1", "/").replace("~0", "~");
                node = node instanceof JsonObject ? ((JsonObject) node).getValue(name) : null;
            }
            return (JsonObject) node;
        }

        JsonObject deref(JsonObject node) {
            JsonObject o = node;
            while (o != null && o.getValue("$ref") instanceof String) {
                o = resolve(o.getString("$ref"));
            }
            return o;
        }

        /** What is wrong with {@code value} for {@code schema}; empty when it is valid. */
        List<String> problems(Object value, JsonObject schema, String at) {
            JsonObject s = deref(schema);
            List<String> found = new ArrayList<>();
            if (s.containsKey("oneOf")) {
                List<String> branches = new ArrayList<>();
                int valid = 0;
                for (Object branch : s.getJsonArray("oneOf")) {
                    List<String> p = problems(value, (JsonObject) branch, at);
                    valid += p.isEmpty() ? 1 : 0;
                    branches.add(String.valueOf(p));
                }
                if (valid != 1) {
                    found.add(at + ": matches " + valid + " of the oneOf branches, not one: " + branches);
                }
            }
            if (s.containsKey("const") && !java.util.Objects.equals(s.getValue("const"), value)) {
                found.add(at + ": expected " + s.getValue("const") + ", got " + value);
            }
            if (s.containsKey("enum") && !s.getJsonArray("enum").contains(value)) {
                found.add(at + ": expected one of " + s.getJsonArray("enum") + ", got " + value);
            }
            Object type = s.getValue("type");
            if (type != null) {
                List<Object> types = type instanceof JsonArray ? ((JsonArray) type).stream().collect(Collectors.toList())
                        : List.of(type);
                if (types.stream().noneMatch(t -> isType(value, (String) t))) {
                    found.add(at + ": expected " + type + ", got " + (value instanceof String ? "\"" + value + "\"" : value));
                    return found;
                }
            }
            if (value instanceof String) {
                String text = (String) value;
                if (text.length() < s.getInteger("minLength", 0)) {
                    found.add(at + ": shorter than " + s.getInteger("minLength"));
                }
                if (s.containsKey("pattern") && !Pattern.compile(s.getString("pattern")).matcher(text).find()) {
                    found.add(at + ": \"" + text + "\" does not match " + s.getString("pattern"));
                }
            }
            if (value instanceof Number && s.containsKey("minimum")
                    && ((Number) value).doubleValue() < s.getNumber("minimum").doubleValue()) {
                found.add(at + ": below " + s.getNumber("minimum"));
            }
            if (value instanceof JsonObject) {
                found.addAll(objectProblems((JsonObject) value, s, at));
            }
            if (value instanceof JsonArray && s.containsKey("items")) {
                JsonArray array = (JsonArray) value;
                for (int i = 0; i < array.size(); i++) {
                    found.addAll(problems(array.getValue(i), s.getJsonObject("items"), at + "[" + i + "]"));
                }
            }
            return found;
        }

        private List<String> objectProblems(JsonObject value, JsonObject s, String at) {
            List<String> found = new ArrayList<>();
            for (Object required : s.getJsonArray("required", new JsonArray())) {
                if (!value.containsKey((String) required)) {
                    found.add(at + ": no \"" + required + "\"");
                }
            }
            JsonObject properties = s.getJsonObject("properties", new JsonObject());
            Object additional = s.getValue("additionalProperties");
            for (String field : value.fieldNames()) {
                if (properties.containsKey(field)) {
                    found.addAll(problems(value.getValue(field), properties.getJsonObject(field), at + "." + field));
                } else if (Boolean.FALSE.equals(additional)) {
                    found.add(at + ": undocumented field \"" + field + "\"");
                } else if (additional instanceof JsonObject) {
                    found.addAll(problems(value.getValue(field), (JsonObject) additional, at + "." + field));
                }
            }
            return found;
        }

        private static boolean isType(Object value, String type) {
            switch (type) {
                case "object": return value instanceof JsonObject;
                case "array": return value instanceof JsonArray;
                case "string": return value instanceof String;
                case "boolean": return value instanceof Boolean;
                case "null": return value == null;
                case "number": return value instanceof Number;
                case "integer": return value instanceof Integer || value instanceof Long
                        || value instanceof java.math.BigInteger;
                default: throw new IllegalArgumentException("unknown type " + type);
            }
        }

        private static String abbreviate(String body) {
            return body.length() > 2000 ? body.substring(0, 2000) + "…" : body;
        }
    }
}
