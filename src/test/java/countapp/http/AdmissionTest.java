package countapp.http;

import countapp.api.ApiException;
import countapp.model.Limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class AdmissionTest {
    private static Limits limits(long pendingBytes, int inFlight) {
        Limits d = Limits.DEFAULT;
        return new Limits(1000, d.maxItems(), d.maxValueBytes(), d.maxHeaderBytes(), Duration.ofSeconds(1),
                d.maxConnections(), pendingBytes, inFlight);
    }

    @Test
    void admit_pastMaxInFlight_503WithRetryAfterUntilOneIsReleased() {
        Admission admission = new Admission(() -> limits(10_000, 2), Long.MAX_VALUE);
        Admission.Ticket a = admission.admit();
        admission.admit();

        assertThatThrownBy(admission::admit).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(503);
            assertThat(e.retryAfterSeconds()).isPositive();
            assertThat(e.details()).containsEntry("limit", "max_in_flight");
        });
        a.release();
        assertThat(admission.admit()).isNotNull();
    }

    @Test
    void reserve_countsArrivedBytesUpToTheCeilingAcrossRequests() {
        Admission admission = new Admission(() -> limits(100, 10), Long.MAX_VALUE);
        Admission.Ticket a = admission.admit();
        Admission.Ticket b = admission.admit();

        assertThat(a.reserve(60)).isTrue();
        assertThat(b.reserve(41)).as("past the shared ceiling").isFalse();
        assertThat(b.reserve(40)).isTrue();
        assertThat(admission.pendingBytes()).isEqualTo(100);
        assertThatThrownBy(admission::admit).as("new requests while the ceiling is held")
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.details()).containsEntry("limit", "max_pending_bytes"));

        a.release();
        assertThat(admission.pendingBytes()).isEqualTo(40);
        assertThat(admission.admit().reserve(60)).isTrue();
    }

    @Test
    void release_twice_givesBackOnce() {
        Admission admission = new Admission(() -> limits(100, 10), Long.MAX_VALUE);
        Admission.Ticket a = admission.admit();
        a.reserve(30);
        a.release();
        a.release();

        assertThat(admission.pendingBytes()).isZero();
        assertThat(admission.inFlight()).isZero();
    }

    @Test
    void reserve_heapCeilingBelowTheConfiguredLimit_heapCeilingWins() {
        Admission admission = new Admission(() -> limits(1_000_000, 10), 50);

        assertThat(admission.admit().reserve(51)).isFalse();
        assertThat(admission.admit().reserve(50)).isTrue();
    }
}
