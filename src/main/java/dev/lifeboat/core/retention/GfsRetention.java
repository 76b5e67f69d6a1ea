package dev.lifeboat.core.retention;

import dev.lifeboat.core.model.RetentionPolicy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * GFS retention as a pure function. For each tier, walking from the newest point back, the newest
 * point of each distinct period (hour, day, ISO week, month, year in the given time zone) is kept,
 * until the tier's count of periods is reached. The newest point is always kept. A point may be kept
 * for several tiers; it is deleted only when no tier and no pin keeps it.
 */
public final class GfsRetention {
    private GfsRetention() {
    }

    /** The tiers, newest-grained first. */
    public enum Tier { HOURLY, DAILY, WEEKLY, MONTHLY, YEARLY }

    /** What retention decided: every point is in exactly one of keep and delete, with the reasons for keeping. */
    public record Decision<P>(List<P> keep, List<P> delete, Map<P, Set<String>> reasons) {
    }

    /**
     * @param points the points of one stack on one destination, in any order
     * @param time   when each point was taken
     * @param pinned points that must be kept whatever the policy says (for example, being read by a restore)
     */
    public static <P> Decision<P> apply(List<P> points, Function<P, Instant> time, RetentionPolicy policy, ZoneId zone,
                                        Set<P> pinned) {
        List<P> newestFirst = new ArrayList<>(points);
        newestFirst.sort(Comparator.comparing(time).reversed());
        Map<P, Set<String>> reasons = new LinkedHashMap<>();
        if (!newestFirst.isEmpty()) {
            reasons.computeIfAbsent(newestFirst.get(0), p -> new LinkedHashSet<>()).add("newest");
        }
        keepPerPeriod(newestFirst, time, zone, Tier.HOURLY, policy.hourly(), reasons);
        keepPerPeriod(newestFirst, time, zone, Tier.DAILY, policy.daily(), reasons);
        keepPerPeriod(newestFirst, time, zone, Tier.WEEKLY, policy.weekly(), reasons);
        keepPerPeriod(newestFirst, time, zone, Tier.MONTHLY, policy.monthly(), reasons);
        keepPerPeriod(newestFirst, time, zone, Tier.YEARLY, policy.yearly(), reasons);
        for (P p : newestFirst) {
            if (pinned.contains(p)) {
                reasons.computeIfAbsent(p, x -> new LinkedHashSet<>()).add("in use");
            }
        }
        List<P> keep = new ArrayList<>();
        List<P> delete = new ArrayList<>();
        for (P p : newestFirst) {
            (reasons.containsKey(p) ? keep : delete).add(p);
        }
        return new Decision<>(keep, delete, reasons);
    }

    private static <P> void keepPerPeriod(List<P> newestFirst, Function<P, Instant> time, ZoneId zone, Tier tier, int count,
                                          Map<P, Set<String>> reasons) {
        Object last = null;
        int kept = 0;
        for (P p : newestFirst) {
            if (kept >= count) {
                return;
            }
            Object period = period(time.apply(p), zone, tier);
            if (!period.equals(last)) {
                reasons.computeIfAbsent(p, x -> new LinkedHashSet<>()).add(tier.name().toLowerCase());
                kept++;
                last = period;
            }
        }
    }

    /** The period a moment falls in, for one tier. */
    public static Object period(Instant at, ZoneId zone, Tier tier) {
        ZonedDateTime t = at.atZone(zone);
        return switch (tier) {
            case HOURLY -> t.truncatedTo(ChronoUnit.HOURS).toLocalDateTime();
            case DAILY -> t.toLocalDate();
            case WEEKLY -> t.get(IsoFields.WEEK_BASED_YEAR) * 100 + t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
            case MONTHLY -> t.getYear() * 100 + t.getMonthValue();
            case YEARLY -> t.getYear();
        };
    }
}
