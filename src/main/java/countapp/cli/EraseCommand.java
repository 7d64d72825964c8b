package countapp.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "erase", mixinStandardHelpOptions = true,
        description = {"Erases one (tenant, id) pair, or with --all-ids every id of a tenant, from every count: "
                + "all time and every kept day and month.",
            "A tenant is erased only with --all-ids, so that a forgotten ID never wipes one."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:erased (or there was nothing to erase)", "1:a request failed", "2:bad arguments"})
final class EraseCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Parameters(index = "0", paramLabel = "TENANT", description = "the tenant")
    String tenant;

    @Parameters(index = "1", arity = "0..1", paramLabel = "ID", description = "the id to erase; omit with --all-ids")
    String id;

    @Option(names = "--all-ids", description = "erase every id of TENANT (needed when no ID is given)")
    boolean allIds;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try {
            check(tenant, id, allIds);
            ApiClient api = client.client();
            if (id != null) {
                long erased = api.erase(tenant, id);
                out.println(erased == 0 ? "nothing to erase: tenant " + tenant + " has no id " + id
                        : "erased id " + id + " of tenant " + tenant);
            } else {
                long erased = api.eraseTenant(tenant);
                out.printf("erased %,d %s of tenant %s%n", erased, erased == 1 ? "id" : "ids", tenant);
            }
            out.flush();
            return 0;
        } catch (CliException e) {
            spec.commandLine().getErr().println("countapp erase: " + e.getMessage());
            return e.exitCode();
        }
    }

    /** The arguments name exactly one thing to erase: an id, or (with {@code --all-ids}) the whole tenant. */
    static void check(String tenant, String id, boolean allIds) throws CliException {
        if (tenant.isEmpty()) {
            throw new CliException("TENANT must not be empty", CountWindow.USAGE);
        }
        if (id != null && allIds) {
            throw new CliException("give an ID or --all-ids, not both", CountWindow.USAGE);
        }
        if (id == null && !allIds) {
            throw new CliException("no ID given: to erase every id of tenant " + tenant + ", add --all-ids",
                    CountWindow.USAGE);
        }
        if (id != null && id.isEmpty()) {
            throw new CliException("ID must not be empty", CountWindow.USAGE);
        }
    }
}
