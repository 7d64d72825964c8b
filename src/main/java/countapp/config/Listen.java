package countapp.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where the coordinator's API listens: {@code listen: [address:]port}. The address defaults to loopback
 * ({@value #LOOPBACK}), so a fresh install is reachable from this machine only. Only IP literals and
 * {@code localhost} are accepted: deciding whether a bind is safe must not depend on a name lookup.
 *
 * @param address the IP address to bind, without brackets ({@code 0.0.0.0} and {@code ::} bind every
 *     interface)
 * @param port the TCP port
 */
public record Listen(String address, int port) {
    public static final String LOOPBACK = "127.0.0.1";
    public static final int DEFAULT_PORT = 5000;
    public static final Listen DEFAULT = new Listen(LOOPBACK, DEFAULT_PORT);
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern PORT = Pattern.compile("\\d{1,5}");
    static final String FORMS = "a port (5000) or address:port (127.0.0.1:5000, 0.0.0.0:5000, [::1]:5000)";

    /** {@code listen}'s value from the file: a whole number (a port on loopback), or a string. */
    static Listen parse(Object value) {
        if (value instanceof Integer) {
            return new Listen(LOOPBACK, port(Integer.toString((Integer) value)));
        }
        if (!(value instanceof String) || ((String) value).isBlank()) {
            throw new IllegalArgumentException("must be " + FORMS + ", got " + Kind.of(value));
        }
        String text = ((String) value).trim();
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            return new Listen(LOOPBACK, port(text));
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException("an IPv6 address goes in brackets, e.g. [::1]:5000");
        }
        return new Listen(address(host), port(text.substring(colon + 1)));
    }

    private static int port(String text) {
        if (!PORT.matcher(text).matches() || Integer.parseInt(text) < 1 || Integer.parseInt(text) > 65535) {
            throw new IllegalArgumentException("the port must be a whole number from 1 to 65535; " + FORMS);
        }
        return Integer.parseInt(text);
    }

    private static String address(String host) {
        String lower = host.toLowerCase(Locale.ROOT);
        if ("localhost".equals(lower)) {
            return LOOPBACK;
        }
        if (!IPV4.matcher(lower).matches() && !lower.contains(":")) {
            throw new IllegalArgumentException("the address must be an IP address or localhost (a host name "
                    + "is not resolved); " + FORMS);
        }
        try {
            // An IP literal: parsed, never looked up.
            return InetAddress.getByName(lower).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not a valid IP address; " + FORMS);
        }
    }

    /** Whether only this machine can connect: a loopback address ({@code 127.x.x.x}, {@code ::1}). */
    public boolean loopback() {
        return inet().isLoopbackAddress();
    }

    /**
     * Whether {@code host} (an address to bind) is loopback: {@code localhost} or a loopback IP literal.
     * A host name other than {@code localhost} counts as reachable from elsewhere (it is not looked up).
     */
    static boolean loopbackHost(String host) {
        try {
            return new Listen(address(host.startsWith("[") && host.endsWith("]")
                    ? host.substring(1, host.length() - 1) : host), 1).loopback();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Whether every interface of the machine is bound ({@code 0.0.0.0} or {@code ::}). */
    public boolean everyInterface() {
        return inet().isAnyLocalAddress();
    }

    /** A URL a client on this machine can use: the wildcard addresses are reached through loopback. */
    public String localUrl() {
        String host = everyInterface() ? (address.contains(":") ? "[::1]" : LOOPBACK) : hostForUrl();
        return "http://" + host + ":" + port;
    }

    /** {@code address:port}, the IPv6 address in brackets: as {@code listen} reads it. */
    @Override
    public String toString() {
        return hostForUrl() + ":" + port;
    }

    private String hostForUrl() {
        return address.contains(":") ? "[" + address + "]" : address;
    }

    private InetAddress inet() {
        try {
            return InetAddress.getByName(address); // a literal, checked by parse: no lookup
        } catch (UnknownHostException e) {
            throw new IllegalStateException("not an IP address: " + address, e);
        }
    }
}
