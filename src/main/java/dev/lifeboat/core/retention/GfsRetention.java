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

    /**
     * Until when a kept point must stay immutable (S3 Object Lock), given the tiers that keep it
     * ({@code reasons}, as {@link #apply} gives them). A tier whose period is over holds the point until
     * the start of the period {@code count} periods later: no newer point can take its slot before then.
     * A tier of the period still running holds it only provisionally (a newer point of the same period
     * takes the slot), so only until that period ends, plus a day for the next prune to extend the point
     * that settles in it. At least a day from now. Pure: the same inputs give the same date.
     */
    public static Instant holdUntil(Instant takenAt, Set<String> reasons, RetentionPolicy policy, ZoneId zone, Instant now) {
        Instant until = now.plus(java.time.Duration.ofDays(1));
        for (Tier tier : Tier.values()) {
            if (!reasons.contains(tier.name().toLowerCase())) {
                continue;
            }
            int count = switch (tier) {
                case HOURLY -> policy.hourly();
                case DAILY -> policy.daily();
                case WEEKLY -> policy.weekly();
                case MONTHLY -> policy.monthly();
                case YEARLY -> policy.yearly();
            };
            ZonedDateTime start = periodStart(takenAt.atZone(zone), tier);
            boolean running = period(takenAt, zone, tier).equals(period(now, zone, tier));
            Instant t = running ? plus(start, tier, 1).toInstant().plus(java.time.Duration.ofDays(1))
                    : plus(start, tier, count).toInstant();
            until = t.isAfter(until) ? t : until;
        }
        return until;
    }

    private static ZonedDateTime periodStart(ZonedDateTime t, Tier tier) {
        return switch (tier) {
            case HOURLY -> t.truncatedTo(ChronoUnit.HOURS);
            case DAILY -> t.truncatedTo(ChronoUnit.DAYS);
            case WEEKLY -> t.truncatedTo(ChronoUnit.DAYS).with(java.time.DayOfWeek.MONDAY);
            case MONTHLY -> t.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1);
            case YEARLY -> t.truncatedTo(ChronoUnit.DAYS).withDayOfYear(1);
        };
    }

    private static ZonedDateTime plus(ZonedDateTime start, Tier tier, int n) {
        return switch (tier) {
            case HOURLY -> start.plusHours(n);
            case DAILY -> start.plusDays(n);
            case WEEKLY -> start.plusWeeks(n);
            case MONTHLY -> start.plusMonths(n);
            case YEARLY -> start.plusYears(n);
        };
    }
}
