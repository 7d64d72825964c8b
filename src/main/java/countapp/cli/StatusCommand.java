package countapp.cli;

import countapp.ops.Console;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Prints the coordinator's workers, their health and the partition table.")
final class StatusCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Option(names = "--json", description = "print the coordinator's GET /status document as is")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try {
            ApiClient api = client.client();
            if (json) {
                out.println(api.statusText());
            } else {
                print(out, api.url(), api.status());
            }
            out.flush();
            return 0;
        } catch (CliException e) {
            spec.commandLine().getErr().println("countapp status: " + e.getMessage());
            return e.exitCode();
        }
    }

    static void print(PrintWriter out, String url, JsonObject status) {
        JsonObject coordinator = status.getJsonObject("coordinator");
        boolean settled = status.getBoolean("settled", false);
        out.printf("coordinator %s (pid %d), up %s: %s%n%n", url, coordinator.getLong("pid"),
                duration(coordinator.getDouble("uptime_s")),
                settled ? Console.green("settled") : Console.yellow("partitions moving"));
        List<List<String>> workers = new ArrayList<>();
        for (Object o : status.getJsonArray("workers")) {
            JsonObject w = (JsonObject) o;
            Double ago = w.getDouble("last_health_check_ago_s");
            workers.add(List.of(w.getString("url") + (w.getBoolean("spawned") ? "" : " (remote)"),
                    state(w.getString("state")),
                    w.getValue("pid") == null ? "-" : String.valueOf(w.getLong("pid")),
                    duration(w.getDouble("uptime_s")),
                    partitions(w.getJsonArray("partitions")),
                    ago == null ? "never" : String.format("%.1f s ago%s", ago,
                            w.getBoolean("last_health_check_ok", false) ? "" : " (failed)")));
        }
        TextTable.print(out, List.of("WORKER", "STATE", "PID", "UPTIME", "PARTITIONS", "LAST CHECK"), workers);
        out.println();
        List<List<String>> table = new ArrayList<>();
        for (Object o : status.getJsonArray("partition_table")) {
            JsonObject row = (JsonObject) o;
            String owner = row.getString("owner");
            table.add(List.of(String.valueOf(row.getInteger("partition")), owner == null ? "-" : owner,
                    row.getBoolean("confirmed") ? "yes" : Console.yellow("moving")));
        }
        TextTable.print(out, List.of("PARTITION", "OWNER", "CONFIRMED"), table);
        JsonObject t = status.getJsonObject("totals");
        out.printf("%n%d/%d workers live, %d/%d partitions confirmed, %,d items received, %,d new pairs, "
                + "%,d forward retries%n", t.getInteger("live"), t.getInteger("workers"),
                t.getInteger("partitions_confirmed"), t.getInteger("partitions"), t.getLong("items_received"),
                t.getLong("items_added"), t.getLong("forward_retries"));
        JsonObject config = status.getJsonObject("config");
        out.printf("config %s, loaded %s%s%n", config.getString("file"), config.getString("loaded_at"),
                config.getString("last_error") == null ? ""
                        : Console.red(" (last reload refused: " + config.getString("last_error") + ")"));
    }

    private static String state(String state) {
        switch (state) {
            case "live": return Console.green(state);
            case "down": return Console.red(state);
            case "starting": return Console.yellow(state);
            default: return Console.dim(state);
        }
    }

    private static String partitions(JsonArray partitions) {
        if (partitions.isEmpty()) {
            return "-";
        }
        List<String> parts = new ArrayList<>();
        partitions.forEach(p -> parts.add(String.valueOf(p)));
        return String.join(" ", parts);
    }

    static String duration(Double seconds) {
        if (seconds == null) {
            return "-";
        }
        long s = (long) Math.floor(seconds);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return s / 60 + "m" + s % 60 + "s";
        }
        if (s < 86_400) {
            return s / 3600 + "h" + s % 3600 / 60 + "m";
        }
        return s / 86_400 + "d" + s % 86_400 / 3600 + "h";
    }
}
