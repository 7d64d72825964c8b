package countapp.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import countapp.api.ApiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SegmentsTest {
    @Test
    void ends_noParameter_oneSegmentSpanningTheBatch() {
        assertThat(Segments.ends(null, 7)).containsExactly(7);
    }

    @Test
    void ends_sizes_cumulativeEnds() {
        assertThat(Segments.ends("2,1,4", 7)).containsExactly(2, 3, 7);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "3", "8", "0,7", "-1,8", "a,6", "3,4,", ",3,4", "1,1,1,1,1,1,1,1", "99999999999,1"})
    void ends_sizesNotAddingUpToTheBatch_400(String param) {
        assertThatThrownBy(() -> Segments.ends(param, 7))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessageContaining("segments");
    }
}
