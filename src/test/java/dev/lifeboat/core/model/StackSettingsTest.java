package dev.lifeboat.core.model;

import dev.lifeboat.core.LifeboatException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class StackSettingsTest {
    @Test
    void durationsReadAndPrintTheWayAdminsWriteThem() {
        assertEquals(Duration.ofSeconds(45), StackSettings.parseDuration("45s"));
        assertEquals(Duration.ofMinutes(30), StackSettings.parseDuration("30m"));
        assertEquals(Duration.ofMillis(500), StackSettings.parseDuration("500ms"), "ms, not minutes");
        assertEquals(Duration.ofHours(4), StackSettings.parseDuration("4H"));
        assertEquals(Duration.ofDays(7), StackSettings.parseDuration("7d"));
        assertEquals(Duration.ofMinutes(90), StackSettings.parseDuration("PT1H30M"));
        assertThrows(LifeboatException.class, () -> StackSettings.parseDuration("soon"));
        assertEquals("1h", StackSettings.format(Duration.ofHours(1)));
        assertEquals("1d", StackSettings.format(Duration.ofHours(24)));
        assertEquals("90m", StackSettings.format(Duration.ofMinutes(90)));
        assertEquals("61s", StackSettings.format(Duration.ofSeconds(61)));
    }

    @Test
    void aTableToleranceOverridesTheStackWideOne() {
        StackSettings s = new StackSettings("h", "s", Duration.ofHours(1), Duration.ofHours(24), 2,
                Map.of("shop.public.events", 10.0), Map.of(), null, 30);
        assertEquals(10.0, s.tolerance("shop.public.events"));
        assertEquals(2.0, s.tolerance("shop.public.orders"));
        assertEquals(Map.of("a", "1", "b.c", "2"), StackSettings.pairs("a=1, b.c=2"));
    }

    @Test
    void negativeDurationsAreRefusedAndTargetsMustBeLongerThanZero() {
        assertThrows(LifeboatException.class, () -> StackSettings.parseDuration("-5h"));
        assertThrows(LifeboatException.class, () -> StackSettings.parseDuration("-30s"));
        assertThrows(LifeboatException.class, () -> StackSettings.parseDuration("PT-5H"));
        assertEquals(Duration.ZERO, StackSettings.parseDuration("0s"), "no jitter, no data lost: zero is a duration");
        assertThrows(LifeboatException.class, () -> StackSettings.parsePositiveDuration("--tick", "0s"));
        assertEquals(Duration.ofHours(4), StackSettings.parsePositiveDuration("--rto", "4h"));
    }
}
