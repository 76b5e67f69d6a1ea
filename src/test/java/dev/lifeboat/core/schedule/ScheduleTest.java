package dev.lifeboat.core.schedule;

import dev.lifeboat.core.LifeboatException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScheduleTest {
    @Test
    void slotsFollowTheCronExpressionInThePlansZone() {
        Schedule every6h = Schedule.parse("0 */6 * * *", "Europe/Berlin");
        // 13:10 UTC is 14:10 in Berlin (CET): the last slot was 12:00 Berlin = 11:00 UTC
        assertEquals(Optional.of(Instant.parse("2026-11-23T11:00:00Z")), every6h.lastSlot(Instant.parse("2026-11-23T13:10:00Z")));
        assertEquals(List.of(Instant.parse("2026-11-23T17:00:00Z"), Instant.parse("2026-11-23T23:00:00Z")),
                every6h.next(Instant.parse("2026-11-23T13:10:00Z"), 2));
        Schedule minutely = Schedule.parse("* * * * *", "UTC");
        assertEquals(Optional.of(Instant.parse("2026-11-23T13:10:00Z")), minutely.lastSlot(Instant.parse("2026-11-23T13:10:00Z")));
        assertEquals(Optional.of(Instant.parse("2026-11-23T13:10:00Z")), minutely.lastSlot(Instant.parse("2026-11-23T13:10:59Z")));
        assertThrows(LifeboatException.class, () -> Schedule.parse("every six hours", "UTC"));
        assertThrows(LifeboatException.class, () -> Schedule.parse("0 * * * *", "Mars/Olympus"));
    }

    @Test
    void missedSlotsAreDueOnceNotOncePerSlot() {
        Schedule hourly = Schedule.parse("0 * * * *", "UTC");
        Instant ranFor = Instant.parse("2026-11-23T08:00:00Z");
        Instant afterDowntime = Instant.parse("2026-11-23T13:20:00Z"); // 09:00 … 13:00 were missed
        Optional<Instant> slot = hourly.lastSlot(afterDowntime);
        assertTrue(Schedule.due(slot, ranFor));
        assertEquals(Instant.parse("2026-11-23T13:00:00Z"), slot.get());
        // once it ran for 13:00, nothing more is due until 14:00
        assertFalse(Schedule.due(hourly.lastSlot(Instant.parse("2026-11-23T13:59:00Z")), slot.get()));
        assertTrue(Schedule.due(hourly.lastSlot(Instant.parse("2026-11-23T14:00:05Z")), slot.get()));
        assertTrue(Schedule.due(slot, null), "a job that never ran is due");
    }
}
