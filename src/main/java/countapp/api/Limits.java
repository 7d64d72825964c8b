package countapp.api;

/**
 * Request limits enforced before anything is stored.
 *
 * @param maxBodyBytes largest accepted request body
 * @param maxItems largest number of items in one POST
 * @param maxValueBytes largest UTF-8 length of an {@code id} or a {@code tenant}
 */
public record Limits(int maxBodyBytes, int maxItems, int maxValueBytes) {
    public static final Limits DEFAULT = new Limits(16 * 1024 * 1024, 100_000, 512);

    public Limits {
        if (maxBodyBytes < 1 || maxItems < 1 || maxValueBytes < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }
}
