package dev.lifeboat.ui.timeline;

import dev.lifeboat.core.status.Timeline;
import dev.lifeboat.core.status.TimelineEntry;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A stack's timeline over 90 days as an admin's would look: a backup every six hours to "nas", copies of the
 * midnight ones on "offsite", every fourth verified, one a week restore-tested, a failed run every eleven
 * days, two days with no backup (over the 24 h RPO), a drill a month and two restores.
 */
final class NinetyDays {
    static final Instant END = Instant.parse("2026-11-30T18:00:00Z");
    static final Instant START = END.minus(Duration.ofDays(90));
    static final Instant HOLE_FROM = Instant.parse("2026-10-20T00:00:00Z");
    static final Instant HOLE_TO = Instant.parse("2026-10-22T06:00:00Z");

    private NinetyDays() {
    }

    static Timeline timeline() {
        List<TimelineEntry> entries = new ArrayList<>();
        int n = 0;
        for (Instant at = START.plus(Duration.ofHours(6)); !at.isAfter(END); at = at.plus(Duration.ofHours(6))) {
            n++;
            if (!at.isBefore(HOLE_FROM) && at.isBefore(HOLE_TO)) {
                continue;
            }
            if (n % 44 == 0) {
                entries.add(new TimelineEntry("run-" + n, at, 0, TimelineEntry.Status.FAILED, Set.of(), "pg_dump: connection refused"));
                continue;
            }
            TimelineEntry.Status status = n % 28 == 0 ? TimelineEntry.Status.TEST_RESTORED
                    : n % 4 == 0 ? TimelineEntry.Status.VERIFIED : TimelineEntry.Status.OK;
            boolean midnight = at.atZone(java.time.ZoneOffset.UTC).getHour() == 0;
            entries.add(new TimelineEntry(String.format("p%03d", n), at, (300L + n) << 20, status,
                    midnight ? Set.of("daily") : Set.of(), "nas", midnight ? List.of("offsite") : List.of()));
        }
        List<Timeline.Marker> markers = List.of(
                new Timeline.Marker(Instant.parse("2026-09-15T10:00:00Z"), "drill", true, "RTO 4 min 10 s"),
                new Timeline.Marker(Instant.parse("2026-10-15T10:00:00Z"), "drill", true, "RTO 3 min 55 s"),
                new Timeline.Marker(Instant.parse("2026-10-22T09:00:00Z"), "restore", true, "after the outage"),
                new Timeline.Marker(Instant.parse("2026-11-15T10:00:00Z"), "drill", false, "probe failed"),
                new Timeline.Marker(Instant.parse("2026-11-16T10:00:00Z"), "restore", true, "one table"));
        return new Timeline("db1", "shop", START, END, entries, List.of(new Timeline.Gap(HOLE_FROM.minus(Duration.ofHours(6)),
                HOLE_TO)), markers, List.of());
    }
}
