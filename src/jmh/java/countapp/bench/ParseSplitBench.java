package countapp.bench;

import countapp.model.ItemBatch;
import countapp.api.ItemParser;
import countapp.api.Json;
import countapp.model.Limits;
import countapp.placement.Partitioner;
import countapp.placement.Rendezvous;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The coordinator's CPU work per POST: parse and validate the body, map each item to its partition and
 * owner (rendezvous over two workers, 16 partitions, as in the benchmark deployment), and encode one
 * sub-batch per owner. The score is requests per second; multiply by {@code batch} for items.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgs = {"-Xms256m", "-Xmx256m"})
public class ParseSplitBench {
    @Param({"1", "100", "1000"})
    int batch;

    private byte[] body;
    private final ItemParser parser = new ItemParser(Limits.DEFAULT);
    private final Partitioner partitioner = new Partitioner(16);
    private int[] ownerOfPartition;

    @Setup
    public void setup() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < batch; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"id\":\"i").append(1_000_000 + i)
                    .append("\",\"tenant\":\"bench-0123456789-").append(i % 100).append("\"}");
        }
        body = sb.append(']').toString().getBytes(StandardCharsets.UTF_8);
        List<String> workers = List.of("http://localhost:5001", "http://localhost:5002");
        List<String> owners = Rendezvous.assign(16, workers);
        ownerOfPartition = new int[16];
        for (int p = 0; p < 16; p++) {
            ownerOfPartition[p] = workers.indexOf(owners.get(p));
        }
    }

    @Benchmark
    public ItemBatch parseOnly() {
        return parser.parse(body);
    }

    @Benchmark
    public void parseSplitEncode(Blackhole bh) {
        ItemBatch items = parser.parse(body);
        int n = items.size();
        int[][] groups = new int[2][n];
        int[] sizes = new int[2];
        for (int i = 0; i < n; i++) {
            int owner = ownerOfPartition[partitioner.partitionOf(items.tenant(i))];
            groups[owner][sizes[owner]++] = i;
        }
        for (int w = 0; w < 2; w++) {
            if (sizes[w] > 0) {
                bh.consume(Json.items(items, groups[w], sizes[w]));
            }
        }
    }
}
