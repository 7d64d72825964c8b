package countapp.worker;

/** Lifecycle of a partition in a worker; any other transition is a bug and throws. */
enum PartitionState {
    CLOSED, OPENING, ACTIVE, RELEASING;

    boolean canMoveTo(PartitionState next) {
        switch (this) {
            case CLOSED: return next == OPENING;
            case OPENING: return next == ACTIVE || next == CLOSED;
            case ACTIVE: return next == RELEASING;
            case RELEASING: return next == CLOSED;
            default: return false;
        }
    }
}
