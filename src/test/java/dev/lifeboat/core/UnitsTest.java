package dev.lifeboat.core;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

class UnitsTest {
    @Test
    void bytesUseBinaryUnitsWithOneDecimal() {
        assertEquals("1023 B", Units.bytes(1023));
        assertEquals("1.0 KiB", Units.bytes(1024));
        assertEquals("420.8 KiB", Units.bytes(430_899));
        assertEquals("1.5 GiB", Units.bytes(3L << 29));
    }

    @Test
    void durationsGrowCoarserAsTheyGrow() {
        assertEquals("n/a", Units.duration(null));
        assertEquals("5.5 s", Units.duration(Duration.ofMillis(5_500)));
        assertEquals("119.9 s", Units.duration(Duration.ofMillis(119_900)));
        assertEquals("2 min", Units.duration(Duration.ofSeconds(120)));
        assertEquals("119 min", Units.duration(Duration.ofSeconds(7_199)));
        assertEquals("2 h", Units.duration(Duration.ofHours(2)));
    }
}
