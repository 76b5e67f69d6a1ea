package dev.lifeboat.core.retention;

import dev.lifeboat.core.model.RetentionPolicy;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Properties of GFS retention over random histories, plus a few worked examples. */
class GfsRetentionTest {
    private static final ZoneId ZONE = ZoneId.of("Europe/Berlin");
    private static final Function<Instant, Instant> ID = Function.identity();

    /** A random history: bursts, gaps of weeks, several points a day, over up to two years. */
    private static List<Instant> history(Random r) {
        List<Instant> points = new ArrayList<>();
        Instant t = Instant.parse("2025-01-01T00:00:00Z").plusSeconds(r.nextInt(86_400 * 30));
        int n = 1 + r.nextInt(400);
        for (int i = 0; i < n; i++) {
            points.add(t);
            long step = switch (r.nextInt(10)) {
                case 0 -> Duration.ofDays(1 + r.nextInt(40)).toSeconds();
                case 1, 2 -> Duration.ofMinutes(1 + r.nextInt(90)).toSeconds();
                default -> Duration.ofHours(1 + r.nextInt(30)).toSeconds();
            };
            t = t.plusSeconds(step);
        }
        return points;
    }

    private static RetentionPolicy policy(Random r) {
        return new RetentionPolicy(r.nextInt(5), r.nextInt(10), r.nextInt(6), r.nextInt(14), r.nextInt(3));
    }

    @Test
    void propertiesHoldOverRandomHistories() {
        for (int seed = 0; seed < 2000; seed++) {
            Random r = new Random(seed);
            List<Instant> points = history(r);
            RetentionPolicy policy = policy(r);
            Set<Instant> pinned = new HashSet<>();
            if (r.nextBoolean()) {
                pinned.add(points.get(r.nextInt(points.size())));
            }
            GfsRetention.Decision<Instant> d = GfsRetention.apply(points, ID, policy, ZONE, pinned);
            String ctx = "seed " + seed + ", " + policy;

            // keep and delete partition the history
            assertEquals(points.size(), d.keep().size() + d.delete().size(), ctx);
            Set<Instant> kept = new HashSet<>(d.keep());
            assertTrue(d.delete().stream().noneMatch(kept::contains), ctx);

            // the newest point is never deleted, and neither is a pinned one
            Instant newest = points.stream().max(Instant::compareTo).orElseThrow();
            assertTrue(kept.contains(newest), ctx);
            assertTrue(kept.containsAll(pinned), ctx);

            // each tier keeps exactly min(count, distinct periods) points, each the newest of its period
            checkTier(points, d, GfsRetention.Tier.HOURLY, policy.hourly(), ctx);
            checkTier(points, d, GfsRetention.Tier.DAILY, policy.daily(), ctx);
            checkTier(points, d, GfsRetention.Tier.WEEKLY, policy.weekly(), ctx);
            checkTier(points, d, GfsRetention.Tier.MONTHLY, policy.monthly(), ctx);
            checkTier(points, d, GfsRetention.Tier.YEARLY, policy.yearly(), ctx);

            // nothing is kept without a reason, and applying again deletes nothing more
            assertTrue(d.keep().stream().allMatch(p -> !d.reasons().get(p).isEmpty()), ctx);
            assertEquals(List.of(), GfsRetention.apply(d.keep(), ID, policy, ZONE, pinned).delete(), ctx);
        }
    }

    private static void checkTier(List<Instant> points, GfsRetention.Decision<Instant> d, GfsRetention.Tier tier, int count,
                                  String ctx) {
        String reason = tier.name().toLowerCase();
        List<Instant> forTier = d.reasons().entrySet().stream().filter(e -> e.getValue().contains(reason))
                .map(Map.Entry::getKey).toList();
        Map<Object, List<Instant>> byPeriod = points.stream()
                .collect(Collectors.groupingBy(p -> GfsRetention.period(p, ZONE, tier)));
        assertEquals(Math.min(count, byPeriod.size()), forTier.size(), tier + " count, " + ctx);
        for (Instant p : forTier) {
            Instant newestOfPeriod = byPeriod.get(GfsRetention.period(p, ZONE, tier)).stream().max(Instant::compareTo).orElseThrow();
            assertEquals(newestOfPeriod, p, tier + " keeps the newest of its period, " + ctx);
        }
        // the kept periods are the most recent ones
        List<Object> recentPeriods = points.stream().sorted((a, b) -> b.compareTo(a)).map(p -> GfsRetention.period(p, ZONE, tier))
                .distinct().limit(count).toList();
        assertEquals(new HashSet<>(recentPeriods), forTier.stream().map(p -> GfsRetention.period(p, ZONE, tier))
                .collect(Collectors.toSet()), tier + " periods, " + ctx);
    }

    @Test
    void fourHourlyBackupsForATwoMonthsKeepTheDefaultSetOfPoints() {
        List<Instant> points = new ArrayList<>();
        for (Instant t = Instant.parse("2026-01-01T00:00:00Z"); t.isBefore(Instant.parse("2026-03-01T00:00:00Z"));
             t = t.plus(Duration.ofHours(6))) {
            points.add(t);
        }
        GfsRetention.Decision<Instant> d = GfsRetention.apply(points, ID, RetentionPolicy.defaults(), ZoneOffset.UTC, Set.of());
        // 7 daily (last 7 days' last point), 4 weekly overlapping the newest days, 3 monthly (Feb overlaps)
        assertEquals(Instant.parse("2026-02-28T18:00:00Z"), d.keep().get(0));
        assertTrue(d.keep().contains(Instant.parse("2026-01-31T18:00:00Z")), "January's last point is its monthly");
        assertTrue(d.keep().contains(Instant.parse("2026-02-22T18:00:00Z")), "a Sunday closes an ISO week");
        assertEquals(points.size() - d.keep().size(), d.delete().size());
        assertTrue(d.keep().size() <= 7 + 4 + 12);
    }

    @Test
    void aPolicyOfZeroKeepsOnlyTheNewest() {
        List<Instant> points = List.of(Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-02T00:00:00Z"));
        GfsRetention.Decision<Instant> d = GfsRetention.apply(points, ID, new RetentionPolicy(0, 0, 0, 0, 0), ZONE, Set.of());
        assertEquals(List.of(Instant.parse("2026-01-02T00:00:00Z")), d.keep());
    }

    @Test
    void aSettledTierHoldsAPointUntilItsSlotCanFirstBeTakenAndARunningOneOnlyTillItsPeriodEnds() {
        RetentionPolicy policy = new RetentionPolicy(0, 7, 4, 12, 0);
        ZoneId utc = ZoneId.of("UTC");
        Instant now = Instant.parse("2026-05-10T12:00:00Z");
        // the last point of March: its month is over, so twelve months of newer points are needed to push it out
        assertEquals(Instant.parse("2027-03-01T00:00:00Z"), GfsRetention.holdUntil(Instant.parse("2026-03-31T20:00:00Z"),
                java.util.Set.of("monthly"), policy, utc, now));
        // a Sunday's point settled in its ISO week (from Monday 27 April): four weeks later
        assertEquals(Instant.parse("2026-05-25T00:00:00Z"), GfsRetention.holdUntil(Instant.parse("2026-05-03T18:00:00Z"),
                java.util.Set.of("weekly"), policy, utc, now));
        // yesterday's point: its day is settled (seven days), its month is still running (till June 1st, and a day)
        assertEquals(Instant.parse("2026-06-02T00:00:00Z"), GfsRetention.holdUntil(Instant.parse("2026-05-09T23:00:00Z"),
                java.util.Set.of("daily", "monthly"), policy, utc, now));
        assertEquals(Instant.parse("2026-05-16T00:00:00Z"), GfsRetention.holdUntil(Instant.parse("2026-05-09T23:00:00Z"),
                java.util.Set.of("daily"), policy, utc, now));
        // no tier keeps it (in use, held): a day from now, renewed at each prune
        assertEquals(now.plus(Duration.ofDays(1)), GfsRetention.holdUntil(Instant.parse("2026-01-01T00:00:00Z"),
                java.util.Set.of("in use"), policy, utc, now));
    }
}
