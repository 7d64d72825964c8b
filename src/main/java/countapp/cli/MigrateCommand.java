package countapp.cli;

import countapp.migrate.Migration;
import countapp.migrate.MigrationException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = {"Converts a database folder in format 1 (RocksDB, written before 0.1.0), which workers refuse, "
                + "to the log store's format, checking every tenant's count.",
            "Stop the workers on FOLDER first. The original is kept as FOLDER.format1; delete it once the "
                + "converted folder serves."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:converted (or already in the log format)", "1:not converted; FOLDER is unchanged"})
final class MigrateCommand implements Callable<Integer> {
    /** Where bin/countapp finds RocksDB's library, which only this command needs, beside the product jar. */
    static final String LIBRARY_FOLDER = "migrate";

    @Parameters(index = "0", paramLabel = "FOLDER", description = "the database folder (the config's database)")
    Path folder;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        try {
            requireRocksDb();
            Migration.Result r = Migration.run(folder, line -> {
                err.println("countapp migrate: " + line);
                err.flush();
            });
            if (r.original() != null) {
                out.printf("converted %,d pairs of %,d tenants; the format-1 original is kept in %s%n", r.pairs(),
                        r.tenants(), r.original());
            }
            out.flush();
            return 0;
        } catch (CliException | MigrationException e) {
            err.println("countapp migrate: " + e.getMessage());
            err.flush();
            return 1;
        }
    }

    /** The product jar leaves RocksDB out; bin/countapp adds it for this command only. */
    private static void requireRocksDb() throws CliException {
        try {
            Class.forName("org.rocksdb.RocksDB", false, MigrateCommand.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new CliException("RocksDB's Java library is not on the class path: run this command through "
                    + "bin/countapp, which adds the rocksdbjni jar from the folder " + LIBRARY_FOLDER
                    + "/ beside countapp.jar (made by `make build`)");
        }
    }
}
