package countapp.client.example;

import countapp.client.Added;
import countapp.client.CountAppClient;
import countapp.client.TenantCount;
import countapp.client.Item;
import java.io.PrintStream;
import java.util.List;
import java.util.stream.Stream;

/** The client README's example, compiled here; {@code ReadmeExampleTest} checks the README quotes it exactly. */
public final class QuickStart {
    private QuickStart() {}

    public static void run(String url, PrintStream out) {
        // README:begin
        CountAppClient client = CountAppClient.builder()
                .baseUrl(url)                                   // e.g. http://localhost:5000
                .build();                                       // .bearer(key) when the server has auth on

        Added added = client.add(List.of(Item.of("acme", "u-17"), Item.of("acme", "u-17"), Item.of("globex", "u-1")));
        out.println(added);                                     // Added[received=3, added=2]
        out.println(client.count("acme"));                      // 1

        try (Stream<TenantCount> export = client.export()) {   // every tenant's count, read line by line
            export.forEach(line -> out.println(line.tenant() + " " + line.count()));
        }
        out.println(client.erase("acme", "u-17"));              // 1: gone from every count
        // README:end
    }
}
