package dev.lifeboat.core.storage;

import dev.lifeboat.core.LifeboatException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An S3 destination's per-request retries: the default an outage is bounded by, and what an admin may set. */
class S3RetriesTest {
    @Test
    void withoutSettingsFiveAttemptsWaitingFromHalfASecondUpToEight() {
        S3Bucket.Retries r = S3Bucket.Retries.of("offsite", Map.of());
        assertEquals(5, r.attempts());
        assertEquals(Duration.ofMillis(500), r.firstWait());
        assertEquals(Duration.ofSeconds(8), r.maxWait());
    }

    @Test
    void theLocationSetsThemWithinBounds() {
        S3Bucket.Retries r = S3Bucket.Retries.of("lan", Map.of("attempts", "3", "retryWait", "100"));
        assertEquals(new S3Bucket.Retries(3, Duration.ofMillis(100)), r);
        assertEquals(Duration.ofMillis(1600), r.maxWait());
        for (Map<String, String> bad : java.util.List.of(Map.of("attempts", "0"), Map.of("attempts", "11"),
                Map.of("retryWait", "5"), Map.of("retryWait", "60001"), Map.of("attempts", "many"))) {
            LifeboatException e = assertThrows(LifeboatException.class, () -> S3Bucket.Retries.of("lan", bad));
            assertTrue(e.getMessage().startsWith("Destination lan: "), e.getMessage());
        }
    }
}
