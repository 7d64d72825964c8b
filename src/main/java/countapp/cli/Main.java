package countapp.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code countapp [coordinator|worker|post|count|status|dump|export|erase|migrate] …}: one executable for every role and task. */
@Command(name = "countapp", mixinStandardHelpOptions = true, version = "CountApp 0.1.0",
        description = "Distributed, durable, exact multi-tenant unique-item counter.%n"
                + "Without a sub-command, runs the coordinator.",
        subcommands = {CoordinatorCommand.class, WorkerCommand.class, PostCommand.class, CountCommand.class,
            StatusCommand.class, DumpCommand.class, ExportCommand.class, EraseCommand.class, MigrateCommand.class,
            countapp.bench.BenchCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new Main());
        if (args.length == 0 || (args[0].startsWith("-") && !isTopLevelOption(args[0]))) {
            String[] withDefault = new String[args.length + 1];
            withDefault[0] = "coordinator";
            System.arraycopy(args, 0, withDefault, 1, args.length);
            args = withDefault;
        }
        int code = cli.execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    private static boolean isTopLevelOption(String arg) {
        return arg.equals("-h") || arg.equals("--help") || arg.equals("-V") || arg.equals("--version");
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
