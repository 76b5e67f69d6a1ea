package dev.lifeboat.ui.timeline;

import dev.lifeboat.core.status.Timeline;
import dev.lifeboat.core.status.TimelineEntry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The timeline's state without a toolkit: fit, wheel zoom, pan, clusters, lanes, stepping. */
class TimelineModelTest {
    private final Timeline t = NinetyDays.timeline();

    private static int marks(List<TimelineModel.Cluster> clusters) {
        return clusters.stream().mapToInt(c -> c.entries().size()).sum();
    }

    @Test
    void itOpensFittedToTheDataWithEveryMarkInAClusterAndALaneForTheCopies() {
        TimelineModel m = new TimelineModel();
        m.show(t);
        assertEquals(t.from(), m.from());
        assertEquals(t.to(), m.to());
        assertEquals(List.of("Backups", "Copies on offsite"), m.lanes());
        List<TimelineModel.Cluster> backups = m.clusters(800).stream().filter(c -> c.lane().equals("Backups")).toList();
        assertEquals(t.entries().size(), marks(backups), "every point and failed run is in one cluster");
        assertTrue(backups.size() < t.entries().size() / 3, "six-hourly points over 90 days do not fit 800 px apart");
        assertTrue(backups.stream().anyMatch(c -> c.status() == TimelineEntry.Status.FAILED && c.single()),
                "a failed run is never hidden in a cluster of points");
        long copies = t.entries().stream().filter(e -> !e.copies().isEmpty()).count();
        assertEquals(copies, marks(m.clusters(800).stream().filter(c -> c.lane().equals("Copies on offsite")).toList()));
    }

    @Test
    void zoomingInAboutAnInstantKeepsItInPlaceAndSplitsTheClusters() {
        TimelineModel m = new TimelineModel();
        m.show(t);
        Instant under = m.from().plusMillis(Math.round(m.span().toMillis() * 0.25));
        int before = m.clusters(800).size();
        for (int i = 0; i < 12; i++) {
            m.zoom(0.25, 0.8);
        }
        Instant after = m.from().plusMillis(Math.round(m.span().toMillis() * 0.25));
        assertTrue(Duration.between(under, after).abs().toMinutes() < 5, under + " moved to " + after);
        assertTrue(m.span().compareTo(Duration.ofDays(7)) < 0, m.span().toString());
        assertTrue(m.visiblePoints().size() < 40, "a week or so of six-hourly points: " + m.visiblePoints().size());
        assertTrue(m.clusters(800).stream().allMatch(TimelineModel.Cluster::single), "zoomed in, every point stands alone");
        assertTrue(m.clusters(800).size() < before + 40);
        for (int i = 0; i < 200; i++) {
            m.zoom(0.5, 0.5);
        }
        assertEquals(TimelineModel.MIN_SPAN, m.span(), "never narrower than ten minutes");
        for (int i = 0; i < 200; i++) {
            m.zoom(0.5, 2);
        }
        assertEquals(t.from(), m.from(), "never wider than what is loaded");
        assertEquals(t.to(), m.to());
    }

    @Test
    void panningMovesTheWindowWithinTheHistoryAndClickingAClusterOpensItUp() {
        TimelineModel m = new TimelineModel();
        m.show(t);
        m.zoom(1, 0.1); // the last nine days
        Instant end = m.to();
        m.pan(-0.5);
        assertEquals(end.minus(m.span().dividedBy(2)), m.to());
        m.pan(-100);
        assertEquals(t.from(), m.from(), "stops at the oldest loaded");
        m.fit();
        TimelineModel.Cluster c = m.clusters(800).stream().filter(x -> !x.single() && x.lane().equals("Backups")).findFirst()
                .orElseThrow();
        m.showRange(c.from(), c.to());
        List<String> ids = c.entries().stream().map(TimelineEntry::id).toList();
        assertTrue(m.visiblePoints().containsAll(ids.stream().filter(id -> id.startsWith("p")).toList()));
        assertTrue(m.clusters(800).stream().filter(x -> x.lane().equals("Backups")).allMatch(TimelineModel.Cluster::single),
                "opened up: " + ids);
    }

    @Test
    void theArrowKeysStepFromPointToPointSkippingFailedRunsAndBringTheSelectionIntoView() {
        TimelineModel m = new TimelineModel();
        m.show(t);
        assertEquals("p360", m.step(1).orElseThrow().id(), "with none selected, the newest in view");
        assertEquals("p359", m.step(-1).orElseThrow().id());
        m.select("p045");
        assertEquals("p043", m.step(-1).orElseThrow().id(), "run 44 failed: no point to stop at");
        m.zoom(1, 0.05); // the last four and a half days
        assertFalse(m.visiblePoints().contains("p043"));
        m.select("p043");
        m.step(1);
        assertTrue(m.visiblePoints().contains("p045"), "the window moved to the selection");
        assertEquals(Duration.ofDays(90).multipliedBy(5).dividedBy(100).toMinutes(), m.span().toMinutes(), "without zooming");
    }

    @Test
    void aClusterTakesFailedOnlyFromFailedRunsElseItsStrongestProof() {
        Instant at = Instant.parse("2026-11-01T00:00:00Z");
        TimelineModel.Cluster c = new TimelineModel.Cluster("Backups", at, at, List.of(
                new TimelineEntry("a", at, 1, TimelineEntry.Status.OK, Set.of(), "nas"),
                new TimelineEntry("b", at, 1, TimelineEntry.Status.TEST_RESTORED, Set.of(), "nas"),
                new TimelineEntry("c", at, 1, TimelineEntry.Status.VERIFIED, Set.of(), "nas")));
        assertEquals(TimelineEntry.Status.TEST_RESTORED, c.status());
    }
}
