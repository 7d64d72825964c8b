package countapp.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Prints every tenant's count of one UTC day or month (of all time without --window), "
                + "for billing.",
            "jsonl (the default) prints the coordinator's lines {\"tenant\",\"count\"} as they are; csv prints a "
                + "header tenant,count and one RFC 4180 record per tenant (CRLF line ends, quotes where needed).",
            "Lines are printed as they arrive: the export is never held in memory. The API key needs ops: true."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the whole export was printed", "1:a request failed or the stream broke off (the output is "
                + "incomplete)", "2:bad options"})
final class ExportCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Option(names = "--window", paramLabel = "day|month", description = "export one UTC day or month (with --at)")
    String window;

    @Option(names = "--at", paramLabel = "DATE", description = "the day (YYYY-MM-DD) or month (YYYY-MM) of --window")
    String at;

    @Option(names = "--format", defaultValue = "jsonl", paramLabel = "csv|jsonl",
            description = "the output format (default: ${DEFAULT-VALUE})")
    String format;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        long tenants = 0;
        CountWindow range = CountWindow.ALL_TIME;
        try {
            boolean csv = csv(format);
            if (window != null || at != null) {
                range = CountWindow.single(window, at);
            }
            try (InputStream in = client.client().counts(range);
                    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                if (csv) {
                    out.print("tenant,count" + Csv.LINE_END);
                }
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    if (line.isBlank()) {
                        continue;
                    }
                    if (csv) {
                        out.print(csvRecord(line));
                    } else {
                        out.println(line);
                    }
                    tenants++;
                }
            }
        } catch (CliException e) {
            out.flush();
            err.println("countapp export: " + e.getMessage());
            return e.exitCode();
        } catch (IOException e) {
            // A stream cut off mid-way: say so, so a partial export is never taken for a whole one.
            out.flush();
            err.println("countapp export: the stream broke off after " + tenants + " tenants: " + e);
            return 1;
        }
        out.flush();
        err.printf("exported %,d tenants (%s)%n", tenants, range.label());
        err.flush();
        return 0;
    }

    static boolean csv(String format) throws CliException {
        String f = format.trim().toLowerCase(Locale.ROOT);
        if (!f.equals("csv") && !f.equals("jsonl")) {
            throw new CliException("--format must be csv or jsonl, got \"" + format + "\"", CountWindow.USAGE);
        }
        return f.equals("csv");
    }

    /** One {@code {"tenant","count"}} line as a CSV record. */
    static String csvRecord(String line) throws CliException {
        try {
            JsonObject o = new JsonObject(line);
            String tenant = o.getString("tenant");
            Long count = o.getLong("count");
            if (tenant == null || count == null) {
                throw new CliException("unexpected export line (no tenant or count): " + line);
            }
            return Csv.field(tenant) + "," + count + Csv.LINE_END;
        } catch (DecodeException | ClassCastException e) {
            throw new CliException("unexpected export line: " + line);
        }
    }
}
