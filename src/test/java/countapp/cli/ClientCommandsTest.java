package countapp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** count, export and erase against a stand-in coordinator: the requests they send and what they print. */
class ClientCommandsTest {
    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new CommandLine(new Main()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void count_dayWindow_queryAsCheckedAndWindowColumn() throws Exception {
        try (FakeCoordinator server = new FakeCoordinator(
                line -> FakeCoordinator.json(200, "{\"count\":1204,\"window\":\"day\",\"at\":\"2026-11-28\"}"))) {
            Run r = run("count", "-u", server.url(), "--window", "Day", "--at", "2026-11-28", "a/b c");

            assertThat(r.code()).as(r.err()).isZero();
            assertThat(server.requests).containsExactly("GET /items/a%2Fb%20c/count?window=day&at=2026-11-28 HTTP/1.1");
            assertThat(r.out().split("\n")).containsExactly("TENANT  COUNT  WINDOW", "a/b c   1,204  day 2026-11-28");
        }
    }

    @Test
    void count_rangeAsJson_lineCarriesTheCoordinatorsWindowFields() throws Exception {
        try (FakeCoordinator server = new FakeCoordinator(line -> FakeCoordinator.json(200,
                "{\"count\":7,\"from\":\"2026-11-01\",\"to\":\"2026-11-07\"}"))) {
            Run r = run("count", "-u", server.url(), "--json", "--from", "2026-11-01", "--to", "2026-11-07", "t1");

            assertThat(server.requests).containsExactly("GET /items/t1/count?from=2026-11-01&to=2026-11-07 HTTP/1.1");
            assertThat(r.out()).isEqualTo(
                    "{\"tenant\":\"t1\",\"count\":7,\"from\":\"2026-11-01\",\"to\":\"2026-11-07\"}\n");
        }
    }

    @Test
    void export_csv_headerThenOneQuotedRecordPerLine() throws Exception {
        try (FakeCoordinator server = new FakeCoordinator(line -> FakeCoordinator.ndjson(List.of(
                "{\"tenant\":\"t1\",\"count\":12}", "{\"tenant\":\"acme, \\\"inc\\\"\",\"count\":3}",
                "{\"tenant\":\"two\\nlines\",\"count\":0}"), true))) {
            Run r = run("export", "-u", server.url(), "--window", "month", "--at", "2026-11", "--format", "csv");

            assertThat(r.code()).as(r.err()).isZero();
            assertThat(server.requests).containsExactly("GET /counts?window=month&at=2026-11 HTTP/1.1");
            assertThat(r.out()).isEqualTo("tenant,count\r\nt1,12\r\n\"acme, \"\"inc\"\"\",3\r\n\"two\nlines\",0\r\n");
            assertThat(r.err()).isEqualTo("exported 3 tenants (month 2026-11)\n");
        }
    }

    @Test
    void export_jsonlWithoutWindow_allTimeLinesPassedThrough() throws Exception {
        try (FakeCoordinator server = new FakeCoordinator(line -> FakeCoordinator.ndjson(List.of(
                "{\"tenant\":\"t1\",\"count\":12}", "{\"tenant\":\"t2\",\"count\":1}"), true))) {
            Run r = run("export", "-u", server.url());

            assertThat(r.code()).as(r.err()).isZero();
            assertThat(server.requests).containsExactly("GET /counts HTTP/1.1");
            assertThat(r.out()).isEqualTo("{\"tenant\":\"t1\",\"count\":12}\n{\"tenant\":\"t2\",\"count\":1}\n");
            assertThat(r.err()).isEqualTo("exported 2 tenants (all time)\n");
        }
    }

    @Test
    void export_streamCutOffBeforeItsLastChunk_exitOneSayingSo() throws Exception {
        try (FakeCoordinator server = new FakeCoordinator(line -> FakeCoordinator.ndjson(List.of(
                "{\"tenant\":\"t1\",\"count\":12}"), false))) {
            Run r = run("export", "-u", server.url(), "--window", "day", "--at", "2026-11-28");

            assertThat(r.code()).isEqualTo(1);
            assertThat(r.out()).isEqualTo("{\"tenant\":\"t1\",\"count\":12}\n");
            assertThat(r.err()).startsWith("countapp export: the stream broke off after 1 tenants: ");
        }
    }

    @Test
    void export_forbidden_exitOneWithTheErrorAndNoHeader() throws Exception {
        try (FakeCoordinator server = new FakeCoordinator(line -> FakeCoordinator.json(403,
                "{\"error\":\"this API key may not read the ops endpoints\"}"))) {
            Run r = run("export", "-u", server.url(), "--format", "csv");

            assertThat(r.code()).isEqualTo(1);
            assertThat(r.out()).isEmpty();
            assertThat(r.err()).isEqualTo("countapp export: GET /counts: HTTP 403: this API key may not read the ops endpoints\n");
        }
    }

    @Test
    void erase_id_deleteOfTheEncodedPair() throws Exception {
        try (FakeCoordinator server = new FakeCoordinator(line -> FakeCoordinator.json(200, "{\"erased\":1}"))) {
            Run r = run("erase", "-u", server.url(), "a/b", "..");

            assertThat(r.code()).as(r.err()).isZero();
            assertThat(server.requests).containsExactly("DELETE /items/a%2Fb/ids/%2E%2E HTTP/1.1");
            assertThat(r.out()).isEqualTo("erased id .. of tenant a/b\n");
        }
    }

    @Test
    void erase_allIds_deleteOfTheTenant() throws Exception {
        try (FakeCoordinator server = new FakeCoordinator(line -> FakeCoordinator.json(200, "{\"erased\":2310}"))) {
            Run r = run("erase", "-u", server.url(), "acme", "--all-ids");

            assertThat(r.code()).as(r.err()).isZero();
            assertThat(server.requests).containsExactly("DELETE /items/acme HTTP/1.1");
            assertThat(r.out()).isEqualTo("erased 2,310 ids of tenant acme\n");
        }
    }

    @Test
    void erase_answerWithoutErased_exitOne() throws Exception {
        try (FakeCoordinator server = new FakeCoordinator(line -> FakeCoordinator.json(200, "{\"count\":0}"))) {
            Run r = run("erase", "-u", server.url(), "acme", "u1");

            assertThat(r.code()).isEqualTo(1);
            assertThat(r.err()).contains("unexpected answer (no \"erased\")");
        }
    }
}
