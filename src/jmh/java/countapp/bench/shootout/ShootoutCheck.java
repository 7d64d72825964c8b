package countapp.bench.shootout;

import countapp.store.log.SipHash;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Checks that candidates are exact before they are measured: adds a known set of pairs with repeats
 * (within a batch and across batches, tenants and ids whose concatenations coincide, non-ASCII, a tenant
 * longer than 127 bytes) and compares every add's answer and every tenant's count with a reference set;
 * then closes, reopens and compares again; then lets a child process add more and die without closing
 * ({@code Runtime.halt}), reopens and compares again. Also checks {@link SipHash} against the reference
 * vectors.
 *
 * <p>Usage: {@code make shootout-check [CANDIDATES="lmdb ..."]}, or {@code java --add-opens
 * java.base/java.nio=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED ShootoutCheck [candidate...]}
 * (lmdbjava reads direct buffers' addresses); default: every registered candidate. Prints one line per
 * candidate and exits 1 on the first difference.
 */
public final class ShootoutCheck {
    private static final String CHILD = "--child";
    /** The folder of the candidate being checked, deleted also when a check fails. */
    private static Path current;

    private ShootoutCheck() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 3 && args[0].equals(CHILD)) {
            child(args[1], Path.of(args[2]));
            return;
        }
        checkSipHash();
        List<String> names = args.length > 0 ? List.of(args) : Candidates.names();
        for (String name : names) {
            Path dir = Files.createTempDirectory("countapp-shootout-check-");
            current = dir;
            try {
                check(name, dir);
            } finally {
                delete(dir);
            }
        }
    }

    @SuppressWarnings("try") // Candidate.close() may throw anything; here that fails the check
    private static void check(String name, Path dir) throws Exception {
        Reference ref = new Reference();
        long start = System.nanoTime();
        try (Candidate c = Candidates.open(name, dir)) {
            ref.fixedCases(c, name);
            ref.random(c, name, 1, 20_000);
            ref.compareCounts(c, name, "after adds");
        }
        try (Candidate c = Candidates.open(name, dir)) {
            ref.compareCounts(c, name, "after reopening");
            ref.random(c, name, 2, 5_000); // the writer's cached counts start empty
            ref.compareCounts(c, name, "after adds to the reopened store");
        }
        // lmdbjava extracts its library per process and deletes it on exit, which a halted process never reaches.
        Path childTemp = Files.createTempDirectory("countapp-shootout-child-");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments()); // e.g. the --add-opens lmdbjava needs
        command.add("-Dlmdbjava.extract.dir=" + childTemp);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ShootoutCheck.class.getName(), CHILD, name, dir.toString()));
        Process child = new ProcessBuilder(command).inheritIO().start();
        boolean ended = child.waitFor(5, TimeUnit.MINUTES);
        if (!ended) {
            child.destroyForcibly().waitFor();
        }
        delete(childTemp);
        if (!ended || child.exitValue() != 0) {
            fail(name, "the child process did not end as expected (exit " + (ended ? child.exitValue() : "none") + ")");
        }
        ref.random(null, name, 3, 5_000); // what the child added, into the reference only
        long disk;
        try (Candidate c = Candidates.open(name, dir)) {
            ref.compareCounts(c, name, "after a crash of the writing process");
            disk = c.diskBytes();
        }
        System.out.printf("%s: OK (%d pairs in %d tenants, every add and count exact, also after reopening and after a crash; %d disk bytes; %.1f s)%n",
                name, ref.total(), ref.sets.size(), disk, (System.nanoTime() - start) / 1e9);
    }

    /** Adds the same pairs as the parent's third round and dies without closing anything. */
    private static void child(String name, Path dir) throws Exception {
        Candidate c = Candidates.open(name, dir);
        new Reference().random(c, name, 3, 5_000);
        Runtime.getRuntime().halt(0);
    }

    /** The expected content: the distinct ids of each tenant. */
    private static final class Reference {
        final Map<String, Set<String>> sets = new HashMap<>();

        void fixedCases(Candidate c, String name) throws Exception {
            String longTenant = "t".repeat(200);
            // Concatenations that coincide; a pair repeated in one batch; the same id under two tenants.
            add(c, name, new String[] {"ab", "a", "ab", "ab", "a", "über-tenant", longTenant, "x"},
                    new String[] {"c", "bc", "c", "c", "bc", "idé", "id", "bc"}, 8);
            // The same pairs again: nothing new.
            add(c, name, new String[] {"ab", "a", "über-tenant", longTenant}, new String[] {"c", "bc", "idé", "id"}, 4);
            // Only [0, n) counts: the rest of the arrays is ignored.
            add(c, name, new String[] {"ab", "ab", "zzz"}, new String[] {"d", "d", "ignored"}, 2);
            add(c, name, new String[0], new String[0], 0);
            for (String t : List.of("ab", "a", "über-tenant", longTenant, "x", "zzz", "never-written")) {
                expectCount(c, name, t);
            }
        }

        /** Random batches (1..500 items, about half of them repeats) over 5 tenants, seeded by {@code round}. */
        void random(Candidate c, String name, long round, int items) throws Exception {
            SplittableRandom rnd = new SplittableRandom(round);
            List<String> sent = new ArrayList<>();
            int done = 0;
            while (done < items) {
                int n = Math.min(items - done, 1 + rnd.nextInt(500));
                String[] tenants = new String[n];
                String[] ids = new String[n];
                for (int i = 0; i < n; i++) {
                    if (!sent.isEmpty() && rnd.nextInt(2) == 0) {
                        String[] pair = sent.get(rnd.nextInt(sent.size())).split("\u0000", 2);
                        tenants[i] = pair[0];
                        ids[i] = pair[1];
                    } else {
                        tenants[i] = "tenant-" + rnd.nextInt(5);
                        ids[i] = "i" + Long.toHexString(round << 40 | rnd.nextLong(1L << 40));
                        sent.add(tenants[i] + "\u0000" + ids[i]);
                    }
                }
                if (c == null) {
                    record(tenants, ids, n);
                } else {
                    add(c, name, tenants, ids, n);
                }
                done += n;
            }
        }

        private long record(String[] tenants, String[] ids, int n) {
            long added = 0;
            for (int i = 0; i < n; i++) {
                if (sets.computeIfAbsent(tenants[i], t -> new HashSet<>()).add(ids[i])) {
                    added++;
                }
            }
            return added;
        }

        private void add(Candidate c, String name, String[] tenants, String[] ids, int n) throws Exception {
            long expected = record(tenants, ids, n);
            long added = c.add(tenants, ids, n);
            if (added != expected) {
                fail(name, "add of " + Arrays.toString(Arrays.copyOf(ids, Math.min(n, 10))) + "… returned " + added + ", expected " + expected);
            }
        }

        void compareCounts(Candidate c, String name, String when) throws Exception {
            for (String t : sets.keySet()) {
                long got = c.count(t);
                if (got != sets.get(t).size()) {
                    fail(name, when + ": count(" + t + ") = " + got + ", expected " + sets.get(t).size());
                }
            }
            expectCount(c, name, "never-written");
        }

        private void expectCount(Candidate c, String name, String tenant) throws Exception {
            Set<String> s = sets.get(tenant);
            long expected = s == null ? 0 : s.size();
            long got = c.count(tenant);
            if (got != expected) {
                fail(name, "count(" + tenant + ") = " + got + ", expected " + expected);
            }
        }

        long total() {
            return sets.values().stream().mapToLong(Set::size).sum();
        }
    }

    /** The reference implementation's vectors_sip128 (key 00..0f, message 00..len-1) for lengths 0..9. */
    private static void checkSipHash() {
        String[] reference = {
            "a3817f04ba25a8e66df67214c7550293", "da87c1d86b99af44347659119b22fc45", "8177228da4a45dc7fca38bdef60affe4",
            "9c70b60c5267a94e5f33b6b02985ed51", "f88164c12d9c8faf7d0f6e7c7bcd5579", "1368875980776f8854527a07690e9627",
            "14eeca338b208613485ea0308fd7a15e", "a1f1ebbed8dbc153c0b84aa61ff08239", "3b62a9ba6258f5610f83e264f31497b4",
            "264499060ad9baabc47f8b02bb6d71ed"};
        SipHash sip = new SipHash(0x0706050403020100L, 0x0f0e0d0c0b0a0908L);
        byte[] message = new byte[16];
        for (int i = 0; i < message.length; i++) {
            message[i] = (byte) i;
        }
        long[] out = new long[2];
        for (int len = 0; len < reference.length; len++) {
            sip.hash128(message, len, out);
            byte[] bytes = new byte[16];
            for (int i = 0; i < 8; i++) {
                bytes[i] = (byte) (out[0] >>> (8 * i));
                bytes[8 + i] = (byte) (out[1] >>> (8 * i));
            }
            if (!HexFormat.of().formatHex(bytes).equals(reference[len])) {
                fail("SipHash", "reference vector of length " + len + " differs");
            }
        }
    }

    private static void fail(String name, String message) {
        System.out.println(name + ": FAILED: " + message);
        try {
            if (current != null) {
                delete(current);
            }
        } catch (IOException | RuntimeException e) {
            System.out.println("could not delete " + current + ": " + e);
        }
        System.exit(1);
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
