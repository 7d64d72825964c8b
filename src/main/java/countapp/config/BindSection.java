package countapp.config;

import java.util.List;

/**
 * The bind keys, {@code listen} and {@code allow_open}, and the protection they give: with auth off, the
 * coordinator (and the workers it spawns) listen only on loopback unless {@code allow_open: true} says an
 * open API on the network is wanted, as Redis' protected mode does. Without it, anyone who reaches the
 * machine could add and erase data.
 */
final class BindSection {
    static final String ALLOW_OPEN = "allow_open";

    private BindSection() {}

    static Listen listen(Object value, List<String> problems) {
        try {
            return Listen.parse(value == null ? Listen.DEFAULT_PORT : value);
        } catch (IllegalArgumentException e) {
            problems.add("listen: " + e.getMessage());
            return Listen.DEFAULT;
        }
    }

    static boolean allowOpen(Object value, List<String> problems) {
        if (value == null) {
            return false;
        }
        if (!(value instanceof Boolean)) {
            problems.add(ALLOW_OPEN + ": must be true or false, got " + Kind.of(value));
            return false;
        }
        return (Boolean) value;
    }

    /**
     * Refuses a non-loopback {@code listen} or {@code worker_bind} with auth off, unless {@code allowOpen}.
     * {@code listen} is null in a worker spawned by a coordinator: the coordinator checked its file.
     */
    static void check(Listen listen, String workerBind, boolean authOn, boolean allowOpen, List<String> problems) {
        if (listen == null || authOn || allowOpen) {
            return;
        }
        if (!listen.loopback()) {
            problems.add("listen: " + refusal("the API on an address other machines can reach"));
        }
        if (!Listen.loopbackHost(workerBind)) {
            problems.add("worker_bind: " + refusal("spawned workers on an address other machines can reach"));
        }
    }

    private static String refusal(String what) {
        return what + " with auth off would let anyone on the network add and erase data. Turn auth on "
                + "(auth: keys), listen on loopback (listen: 127.0.0.1:5000), or set " + ALLOW_OPEN
                + ": true to serve an open API on purpose";
    }
}
