package countapp.cli;

import countapp.model.ItemBatch;
import countapp.api.Json;
import countapp.ops.Console;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "post", mixinStandardHelpOptions = true,
        description = {"Posts items to the coordinator, in batches.",
            "Items come from TENANT:ID arguments, from a JSON file (-f FILE: an array of {\"id\",\"tenant\"} "
                + "objects, or JSON lines), or, with neither, from JSON lines on standard input "
                + "(what `countapp dump` prints).",
            "Prints how many items were sent and how many were new pairs."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every item was acknowledged", "1:a request failed (items of earlier batches are stored)",
            "2:bad input"})
final class PostCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Parameters(paramLabel = "TENANT:ID", arity = "0..*",
            description = "items; each is split at its first colon (so a tenant has no colon, an id may)")
    List<String> items = List.of();

    @Option(names = {"-f", "--file"}, paramLabel = "FILE",
            description = "a JSON array of {\"id\",\"tenant\"} objects or JSON lines; - for standard input")
    Path file;

    @Option(names = {"-b", "--batch-size"}, defaultValue = "1000", paramLabel = "N",
            description = "items per request (default: ${DEFAULT-VALUE}; the server takes up to 100000)")
    int batchSize;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            if (batchSize < 1 || batchSize > 100_000) {
                throw new CliException("--batch-size must be from 1 to 100000", 2);
            }
            if (!items.isEmpty() && file != null) {
                throw new CliException("give TENANT:ID arguments or --file, not both", 2);
            }
            long size = file != null && !isStdin(file) ? Files.size(file) : -1;
            ApiClient api = client.client();
            try (ItemReader reader = open(err)) {
                Progress progress = new Progress(err, Console.isTerminal(), size, System::nanoTime);
                long start = System.nanoTime();
                long[] totals = send(api, reader, progress);
                progress.finish();
                out.printf("posted %,d items in %,d %s: %,d new, %,d already counted (%.1f s)%n", totals[0],
                        totals[2], totals[2] == 1 ? "batch" : "batches", totals[1], totals[0] - totals[1],
                        (System.nanoTime() - start) / 1e9);
            }
            return 0;
        } catch (CliException e) {
            err.println("countapp post: " + e.getMessage());
            return e.exitCode();
        } catch (java.nio.file.NoSuchFileException e) {
            err.println("countapp post: no such file: " + e.getFile());
            return 2;
        } catch (IOException e) {
            err.println("countapp post: cannot read the input: " + e);
            return 2;
        }
    }

    private ItemReader open(PrintWriter err) throws IOException, CliException {
        if (!items.isEmpty()) {
            return ItemReader.fromArguments(items);
        }
        if (file != null && !isStdin(file)) {
            InputStream in = Files.newInputStream(file);
            return ItemReader.fromJson(new java.io.BufferedInputStream(in, 1 << 16), file.toString());
        }
        if (countapp.ops.Console.isTerminal()) {
            err.println("reading JSON lines from standard input (Ctrl-D ends)…");
        }
        return ItemReader.fromJson(System.in, "standard input");
    }

    private static boolean isStdin(Path p) {
        return "-".equals(p.toString());
    }

    /** Sends every item in batches; {items, added, batches}. */
    private long[] send(ApiClient api, ItemReader reader, Progress progress) throws CliException {
        String[] tenants = new String[batchSize];
        String[] ids = new String[batchSize];
        Object[] times = new Object[batchSize];
        int[] all = IntStream.range(0, batchSize).toArray();
        long sent = 0;
        long added = 0;
        long batches = 0;
        ItemReader.Item item = reader.next();
        while (item != null) {
            int n = 0;
            while (item != null && n < batchSize) {
                tenants[n] = item.tenant();
                ids[n] = item.id();
                times[n] = item.ts();
                n++;
                item = reader.next();
            }
            ItemBatch batch = ItemBatch.of(java.util.Arrays.copyOf(tenants, n), java.util.Arrays.copyOf(ids, n));
            JsonObject answer = api.postItems(Json.items(batch, all, n, times));
            sent += n;
            added += answer.getLong("added");
            batches++;
            if (item != null || batches > 1) {
                progress.update(sent, added, reader.bytesRead());
            }
        }
        return new long[] {sent, added, batches};
    }
}
