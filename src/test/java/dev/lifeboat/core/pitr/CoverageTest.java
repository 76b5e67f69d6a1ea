package dev.lifeboat.core.pitr;

import dev.lifeboat.core.history.PitrRepository;
import dev.lifeboat.core.history.WalFile;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which moments a restore can reach, from base backups and the WAL shipped. */
class CoverageTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    /** Segment {@code n} of timeline 1, shipped {@code minute} minutes after T0. */
    private static WalFile seg(int n, int minute) {
        return seg("00000001", n, minute);
    }

    private static WalFile seg(String timeline, int n, int minute) {
        return new WalFile("h", "s", "postgres:db", "disk", WalFile.segmentAt(timeline + "0000000000000000", n), 16 << 20, 100,
                "p", "s", T0.plusSeconds(60L * minute));
    }

    private static PitrRepository.Base base(String point, int segment, int endedMinute) {
        return new PitrRepository.Base(point, "postgres:db", WalFile.segmentAt("000000010000000000000000", segment),
                T0.plusSeconds(60L * endedMinute));
    }

    @Test
    void fromTheFirstBaseBackupsEndToTheNewestSegmentShippedWithoutAGap() {
        List<WalFile> wal = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            wal.add(seg(i, i));
        }
        Coverage c = Coverage.of("postgres:db", List.of(base("p1", 2, 2), base("p2", 6, 6)), wal);
        assertEquals(List.of(new Coverage.Span(T0.plusSeconds(120), T0.plusSeconds(600))), c.spans());
        assertTrue(c.gaps().isEmpty());
        assertEquals(T0.plusSeconds(600), c.newest().orElseThrow());
        assertTrue(c.covers(T0.plusSeconds(300)));
        assertFalse(c.covers(T0.plusSeconds(60)), "before the first base backup ended");
    }

    @Test
    void aMissingSegmentCutsTheCoverageUntilTheNextBaseBackupEnds() {
        List<WalFile> wal = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            if (i != 5) {
                wal.add(seg(i, i));
            }
        }
        Coverage c = Coverage.of("postgres:db", List.of(base("p1", 1, 1), base("p2", 8, 8)), wal);
        assertEquals(List.of(new Coverage.Span(T0.plusSeconds(60), T0.plusSeconds(240)),
                new Coverage.Span(T0.plusSeconds(480), T0.plusSeconds(720))), c.spans());
        assertEquals(1, c.gaps().size());
        assertEquals(new Coverage.Gap(T0.plusSeconds(240), T0.plusSeconds(480), "WAL segment 000000010000000000000005 is missing"),
                c.gaps().get(0));
        assertFalse(c.covers(T0.plusSeconds(300)));
    }

    @Test
    void walAfterAGapWithNoBaseBackupIsNotCoveredAndANewerTimelineContinuesTheRun() {
        List<WalFile> wal = new ArrayList<>(List.of(seg(1, 1), seg(2, 2), seg(3, 3), seg("00000002", 3, 4), seg("00000002", 4, 5),
                seg(9, 9), seg(10, 10)));
        Coverage c = Coverage.of("postgres:db", List.of(base("p1", 1, 1)), wal);
        assertEquals(List.of(new Coverage.Span(T0.plusSeconds(60), T0.plusSeconds(300))), c.spans(),
                "timeline 2 continues at the position where it branched");
        assertTrue(c.gaps().isEmpty(), "nothing restorable after the gap, so no gap between spans either");
        assertTrue(Coverage.of("postgres:db", List.of(), wal).spans().isEmpty(), "no base backup, no moment");
    }
}
