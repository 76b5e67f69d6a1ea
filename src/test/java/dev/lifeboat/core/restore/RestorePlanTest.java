package dev.lifeboat.core.restore;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class RestorePlanTest {
    @Test
    void theExpectedTimeFollowsTheRestoresClosestInSize() {
        assertNull(RestorePlan.estimate(List.of(), 1000));
        // 1 ms per KB for small restores, 0.5 ms per KB for big ones: a big point is estimated from the big ones
        List<long[]> past = List.of(new long[] {1_000_000, 1000}, new long[] {2_000_000, 2000},
                new long[] {1_000_000_000, 500_000}, new long[] {2_000_000_000, 1_000_000});
        assertEquals(750_000, RestorePlan.estimate(past, 1_500_000_000L));
        assertEquals(1500, RestorePlan.estimate(past.subList(0, 2), 1_500_000));
    }
}
