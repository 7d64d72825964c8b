package countapp.client;

/** {@code GET /health}: the coordinator runs; {@code settled} when every partition has a live, confirmed owner. */
public record Health(boolean settled) {}
