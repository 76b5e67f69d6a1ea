package dev.lifeboat.cli;

import dev.lifeboat.core.LifeboatException;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MomentsTest {
    @Test
    void aMomentIsReadAsAdminsTypeItAlwaysWithItsZone() {
        assertEquals(Instant.parse("2026-12-01T13:03:00Z"), Moments.parse("2026-12-01 14:03:00+01"));
        assertEquals(Instant.parse("2026-12-01T13:03:00Z"), Moments.parse("2026-12-01 14:03:00+01:00"));
        assertEquals(Instant.parse("2026-12-01T13:03:00.250Z"), Moments.parse("2026-12-01T13:03:00.250Z"));
        assertEquals(Instant.parse("2026-12-01T13:03:00.123456Z"), Moments.parse("2026-12-01 13:03:00.123456+00:00"));
    }

    @Test
    void aMomentWithoutAZoneIsRefusedRatherThanGuessed() {
        LifeboatException e = assertThrows(LifeboatException.class, () -> Moments.parse("2026-12-01 14:03:00"));
        assertEquals(true, e.getMessage().contains("with its zone"), e.getMessage());
        assertThrows(LifeboatException.class, () -> Moments.parse("yesterday"));
    }
}
