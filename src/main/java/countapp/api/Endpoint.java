package countapp.api;

/** The HTTP endpoints, as the {@code endpoint} label of the request metrics: route templates, not raw paths. */
public enum Endpoint {
    ROOT("/"),
    HEALTH("/health"),
    ITEMS("/items"),
    COUNT("/items/{tenant}/count"),
    IDS("/items/{tenant}/ids"),
    PAIR("/items/{tenant}/ids/{id}"),
    TENANT("/items/{tenant}"),
    COUNTS("/counts"),
    OPENAPI("/openapi.json"),
    STATUS("/status"),
    METRICS("/metrics"),
    DASHBOARD("/dashboard"),
    PARTITIONS("/partitions"),
    KILL("/kill"),
    CHANNEL("/channel"),
    OTHER("other");

    private final String label;

    Endpoint(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /**
     * The endpoint of a raw path. Tenants are free text, so the templates are matched by prefix and suffix
     * only: a tenant never becomes a label value (which would make the label set unbounded).
     */
    public static Endpoint of(String path) {
        return switch (path) {
            case "/" -> ROOT;
            case "/health" -> HEALTH;
            case "/items" -> ITEMS;
            case "/status" -> STATUS;
            case "/metrics" -> METRICS;
            case "/dashboard" -> DASHBOARD;
            case "/partitions" -> PARTITIONS;
            case "/kill" -> KILL;
            case "/channel" -> CHANNEL;
            case "/counts" -> COUNTS;
            case "/openapi.json" -> OPENAPI;
            default -> tenantEndpoint(path);
        };
    }

    private static Endpoint tenantEndpoint(String path) {
        if (path.startsWith("/items/")) {
            if (path.endsWith("/count")) {
                return COUNT;
            }
            if (path.endsWith("/ids")) {
                return IDS;
            }
            // A tenant that itself holds "/ids/", "/count" or "/ids" at these places is sent with %2F.
            return path.lastIndexOf(CountPath.PAIR_INFIX) > "/items".length() ? PAIR : TENANT;
        }
        return OTHER;
    }
}
