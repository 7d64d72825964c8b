package countapp.worker;

import countapp.api.ApiException;

/**
 * The {@code segments} parameter of a coalesced {@code POST /items}: the sizes of the client sub-batches
 * the coordinator put back to back in one body, so the worker can say how many pairs each one added.
 */
final class Segments {
    private Segments() {}

    /**
     * The exclusive end index of each segment; one segment spanning the batch when {@code param} is null.
     *
     * @throws ApiException 400 when the sizes are not positive integers adding up to {@code items}
     */
    static int[] ends(String param, int items) {
        if (param == null) {
            return new int[] {items};
        }
        String[] parts = param.split(",", -1);
        if (parts.length > items) {
            throw new ApiException(400, "segments: " + parts.length + " segments for " + items + " items");
        }
        int[] ends = new int[parts.length];
        long end = 0;
        for (int s = 0; s < parts.length; s++) {
            int size;
            try {
                size = Integer.parseInt(parts[s]);
            } catch (NumberFormatException e) {
                throw new ApiException(400, "segments: \"" + parts[s] + "\" is not a number");
            }
            if (size < 1) {
                throw new ApiException(400, "segments: sizes must be positive, got " + size);
            }
            end += size;
            if (end > items) {
                break;
            }
            ends[s] = (int) end;
        }
        if (end != items) {
            throw new ApiException(400, "segments: sizes add up to " + end + " but the body has " + items + " items");
        }
        return ends;
    }
}
