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
        description = "Prints each tenant's number of distinct ids.")
final class CountCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Parameters(paramLabel = "TENANT", arity = "1..*", description = "the tenants to count")
    List<String> tenants;

    @Option(names = "--json", description = "print JSON lines {\"tenant\",\"count\"} instead of a table")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        ApiClient api = client.client();
        List<List<String>> rows = new ArrayList<>();
        for (String tenant : tenants) {
            long count;
            try {
                count = api.count(tenant);
            } catch (CliException e) {
                out.flush();
                spec.commandLine().getErr().println("countapp count: " + e.getMessage());
                return e.exitCode();
            }
            if (json) {
                out.println(new JsonObject().put("tenant", tenant).put("count", count).encode());
            } else {
                rows.add(List.of(tenant, String.format("%,d", count)));
            }
        }
        if (!json) {
            TextTable.print(out, List.of("TENANT", "COUNT"), rows);
        }
        return 0;
    }
}
