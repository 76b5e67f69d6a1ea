package dev.lifeboat.core.restore;

import dev.lifeboat.core.history.PastRestore;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class RestorePlanTest {
    @Test
    void theExpectedTimeFollowsTheRestoresClosestInSize() {
        assertNull(RestorePlan.estimate(List.of(), 1000));
        // 1 ms per KB for small restores, 0.5 ms per KB for big ones: a big point is estimated from the big ones
        List<PastRestore> past = List.of(restore(1_000_000, 1000), restore(2_000_000, 2000),
                restore(1_000_000_000, 500_000), restore(2_000_000_000, 1_000_000));
        assertEquals(750_000, RestorePlan.estimate(past, 1_500_000_000L));
        assertEquals(1500, RestorePlan.estimate(past.subList(0, 2), 1_500_000));
    }

    private static PastRestore restore(long storedBytes, long ms) {
        return new PastRestore(storedBytes, Duration.ofMillis(ms));
    }
}
