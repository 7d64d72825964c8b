package countapp.client;

import java.util.Iterator;
import java.util.stream.Stream;

/**
 * Run in its own JVM with a small heap by {@code StreamMemoryIT}: reads a whole export ({@code export URL}) or id
 * listing ({@code ids URL TENANT}) through the client and prints {@code lines=N chars=C}.
 */
final class StreamProbe {
    private StreamProbe() {}

    public static void main(String[] args) {
        CountAppClient client = CountAppClient.builder().baseUrl(args[1]).build();
        long lines = 0;
        long chars = 0;
        try (Stream<?> stream = args[0].equals("export") ? client.export() : client.ids(args[2])) {
            for (Iterator<?> it = stream.iterator(); it.hasNext(); ) {
                Object line = it.next();
                lines++;
                chars += line instanceof TenantCount ? ((TenantCount) line).tenant().length() : ((Item) line).id().length();
            }
        }
        System.out.println("lines=" + lines + " chars=" + chars);
    }
}
