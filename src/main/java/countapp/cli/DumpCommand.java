package countapp.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "dump", mixinStandardHelpOptions = true,
        description = {"Prints a tenant's ids from the store, as JSON lines.",
            "Each line is {\"id\",\"tenant\"}, in byte order of the ids; the output can be posted again: "
                + "countapp dump --tenant T | countapp post"})
final class DumpCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Option(names = {"-t", "--tenant"}, required = true, paramLabel = "TENANT", description = "the tenant to dump")
    String tenant;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        long lines = 0;
        try (InputStream in = client.client().ids(tenant);
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                out.println(line);
                lines++;
            }
        } catch (CliException e) {
            err.println("countapp dump: " + e.getMessage());
            return e.exitCode();
        } catch (IOException e) {
            // A stream cut off mid-way: say so, so a partial dump is never taken for a whole one.
            out.flush();
            err.println("countapp dump: the stream broke off after " + lines + " ids: " + e);
            return 1;
        }
        out.flush();
        err.printf("dumped %,d ids of tenant %s%n", lines, tenant);
        err.flush();
        return 0;
    }
}
