package countapp.ops;

import countapp.config.Config;
import countapp.config.Listen;

/** The coordinator's start-up banner: what runs where, and where to look next. */
public final class Banner {
    private Banner() {}

    public static String coordinator(Config config, int partitions, String version) {
        String url = config.listen().localUrl();
        long spawned = config.workers().stream().filter(w -> w.local()).count();
        long remote = config.workers().size() - spawned;
        StringBuilder sb = new StringBuilder();
        sb.append('\n');
        sb.append("  📟 🔢  ").append(Console.bold("CountApp " + version)).append(" — coordinator is up on ")
                .append(Console.cyan(url)).append('\n');
        sb.append("      workers    ").append(spawned).append(" spawned");
        if (remote > 0) {
            sb.append(", ").append(remote).append(" remote");
        }
        sb.append(" · ").append(partitions).append(" partitions · database ").append(config.databaseName()).append('\n');
        sb.append("      listens    ").append(config.listen()).append(' ').append(reach(config)).append('\n');
        sb.append("      dashboard  ").append(Console.cyan(url + "/dashboard")).append('\n');
        sb.append("      status     ").append(url).append("/status   metrics  ").append(url).append("/metrics\n");
        // The client's default URL reaches the default listen address; another one needs COUNTAPP_URL.
        sb.append("      try        ");
        if (!url.equals(Listen.DEFAULT.localUrl())) {
            sb.append("export COUNTAPP_URL=").append(url).append("\n                 ");
        }
        sb.append("bin/countapp post acme:u-1 acme:u-2 && bin/countapp count acme\n");
        return sb.toString();
    }

    /** Who can reach the API, and whether it asks for a key. */
    static String reach(Config config) {
        String who = config.listen().loopback() ? "(this machine only" : "(reachable from the network";
        return who + (config.apiOpen() ? ", auth off: no key needed)" : ", API keys required)");
    }
}
