package countapp.api;

/** The HTTP endpoints, as the {@code endpoint} label of the request metrics: route templates, not raw paths. */
public enum Endpoint {
    ROOT("/"),
    HEALTH("/health"),
    ITEMS("/items"),
    COUNT("/items/{tenant}/count"),
    IDS("/items/{tenant}/ids"),
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
        switch (path) {
            case "/": return ROOT;
            case "/health": return HEALTH;
            case "/items": return ITEMS;
            case "/status": return STATUS;
            case "/metrics": return METRICS;
            case "/dashboard": return DASHBOARD;
            case "/partitions": return PARTITIONS;
            case "/kill": return KILL;
            case "/channel": return CHANNEL;
            default:
                if (path.startsWith("/items/")) {
                    if (path.endsWith("/count")) {
                        return COUNT;
                    }
                    if (path.endsWith("/ids")) {
                        return IDS;
                    }
                }
                return OTHER;
        }
    }
}
