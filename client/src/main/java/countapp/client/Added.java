package countapp.client;

/** The answer to an add: {@code received} items in the batch, of which {@code added} were pairs not counted before. */
public record Added(long received, long added) {}
