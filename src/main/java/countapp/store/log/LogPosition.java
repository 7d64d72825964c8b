package countapp.store.log;

/** A place in a {@link SegmentedLog}: a segment and a byte offset in it. */
record LogPosition(long segment, long offset) implements Comparable<LogPosition> {
    static final LogPosition START = new LogPosition(1, 0);

    @Override
    public int compareTo(LogPosition o) {
        return segment != o.segment ? Long.compare(segment, o.segment) : Long.compare(offset, o.offset);
    }

    @Override
    public String toString() {
        return segment + ":" + offset;
    }
}
