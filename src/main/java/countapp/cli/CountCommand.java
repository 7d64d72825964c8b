package countapp.cli;

import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "count", mixinStandardHelpOptions = true,
        description = {"Prints each tenant's number of distinct ids: of all time, or of one UTC day or month "
                + "(--window day|month --at DATE), or of a run of UTC days (--from DAY --to DAY, both included).",
            "A window must be one the coordinator keeps (the windows setting of its config)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every tenant was counted", "1:a request failed", "2:bad options"})
final class CountCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Parameters(paramLabel = "TENANT", arity = "1..*", description = "the tenants to count")
    List<String> tenants;

    @Option(names = "--json", description = "print JSON lines {\"tenant\",\"count\", …the window} instead of a table")
    boolean json;

    @Option(names = "--window", paramLabel = "day|month", description = "count one UTC day or month (with --at)")
    String window;

    @Option(names = "--at", paramLabel = "DATE", description = "the day (YYYY-MM-DD) or month (YYYY-MM) of --window")
    String at;

    @Option(names = "--from", paramLabel = "DAY", description = "the first UTC day counted (YYYY-MM-DD, with --to)")
    String from;

    @Option(names = "--to", paramLabel = "DAY", description = "the last UTC day counted, included (YYYY-MM-DD)")
    String to;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        CountWindow range;
        try {
            range = CountWindow.of(window, at, from, to);
        } catch (CliException e) {
            return fail(e);
        }
        ApiClient api = client.client();
        List<List<String>> rows = new ArrayList<>();
        for (String tenant : tenants) {
            JsonObject answer;
            long count;
            try {
                answer = api.count(tenant, range);
                count = countOf(answer);
            } catch (CliException e) {
                out.flush();
                return fail(e);
            }
            if (json) {
                JsonObject line = new JsonObject().put("tenant", tenant).put("count", count);
                // The coordinator's own window fields, so a line says what it counted.
                answer.fieldNames().stream().filter(f -> !f.equals("count"))
                        .forEach(f -> line.put(f, answer.getValue(f)));
                out.println(line.encode());
            } else if (range.allTime()) {
                rows.add(List.of(tenant, String.format("%,d", count)));
            } else {
                rows.add(List.of(tenant, String.format("%,d", count), range.label()));
            }
        }
        if (!json) {
            TextTable.print(out, range.allTime() ? List.of("TENANT", "COUNT") : List.of("TENANT", "COUNT", "WINDOW"), rows);
        }
        out.flush();
        return 0;
    }

    private static long countOf(JsonObject answer) throws CliException {
        Object count = answer.getValue("count");
        if (!(count instanceof Number)) {
            throw new CliException("unexpected answer (no \"count\"): " + answer.encode());
        }
        return ((Number) count).longValue();
    }

    private int fail(CliException e) {
        spec.commandLine().getErr().println("countapp count: " + e.getMessage());
        return e.exitCode();
    }
}
