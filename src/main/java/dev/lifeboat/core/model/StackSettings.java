package dev.lifeboat.core.model;

import dev.lifeboat.core.LifeboatException;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A stack's recovery targets and restore-test settings. {@code tableTolerances}: percent per
 * {@code db.schema.table} (live-write tables whose counts may move between the count and the dump);
 * {@code freshness}: the newest value of {@code db.schema.table.column} must be at most this long
 * before the backup; {@code probe}: {@code CONTAINER:COMMAND} run in the restored app container;
 * {@code safetyRetention}: how long the safety points taken before restores are kept (outside the GFS
 * slots of scheduled points).
 */
public record StackSettings(String host, String stack, Duration rto, Duration rpo, double rowTolerancePct,
                            Map<String, Double> tableTolerances, Map<String, Duration> freshness, String probe,
                            int drillIntervalDays, Duration safetyRetention, Duration keptRetention) {
    public static final Duration DEFAULT_RTO = Duration.ofHours(1);
    public static final Duration DEFAULT_RPO = Duration.ofHours(24);
    public static final Duration DEFAULT_SAFETY_RETENTION = Duration.ofDays(14);
    /** How long what a restore replaced stays on the host (ADR 25) unless the admin releases it. */
    public static final Duration DEFAULT_KEPT_RETENTION = Duration.ofDays(7);

    public StackSettings {
        tableTolerances = tableTolerances == null ? Map.of() : Map.copyOf(tableTolerances);
        freshness = freshness == null ? Map.of() : Map.copyOf(freshness);
        safetyRetention = safetyRetention == null ? DEFAULT_SAFETY_RETENTION : safetyRetention;
        keptRetention = keptRetention == null ? DEFAULT_KEPT_RETENTION : keptRetention;
    }

    public StackSettings(String host, String stack, Duration rto, Duration rpo, double rowTolerancePct,
                         Map<String, Double> tableTolerances, Map<String, Duration> freshness, String probe,
                         int drillIntervalDays) {
        this(host, stack, rto, rpo, rowTolerancePct, tableTolerances, freshness, probe, drillIntervalDays, null, null);
    }

    public static StackSettings defaults(String host, String stack) {
        return new StackSettings(host, stack, DEFAULT_RTO, DEFAULT_RPO, 0, Map.of(), Map.of(), null, 30, null, null);
    }

    /** These settings with other recovery targets. */
    public StackSettings withTargets(Duration newRto, Duration newRpo) {
        return new StackSettings(host, stack, newRto, newRpo, rowTolerancePct, tableTolerances, freshness, probe, drillIntervalDays,
                safetyRetention, keptRetention);
    }

    /** The tolerance in percent for {@code db.schema.table}. */
    public double tolerance(String table) {
        return tableTolerances.getOrDefault(table, rowTolerancePct);
    }

    /** "1h", "30m", "45s", "7d", or an ISO-8601 duration. */
    /** A duration that must be longer than zero (an RTO or RPO target, a tick): zero or negative is refused. */
    public static Duration parsePositiveDuration(String what, String text) {
        Duration d = parseDuration(text);
        if (d.isZero()) {
            throw new LifeboatException(what + " must be longer than zero, not '" + text.trim() + "'");
        }
        return d;
    }

    /** A duration such as 500ms, 45s, 30m, 4h, 7d or ISO-8601; zero is allowed, a negative one never. */
    public static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        if (t.startsWith("-") || t.startsWith("p-") || t.contains("t-")) {
            throw new LifeboatException("Duration '" + text.trim() + "' is negative; use e.g. 45s, 30m, 4h or 7d");
        }
        try {
            if (t.startsWith("p")) {
                return Duration.parse(t.toUpperCase(java.util.Locale.ROOT));
            }
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            long n = Long.parseLong(t.substring(0, t.length() - 1));
            return switch (t.charAt(t.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                case 'd' -> Duration.ofDays(n);
                default -> throw new NumberFormatException();
            };
        } catch (RuntimeException e) {
            throw new LifeboatException("Cannot read duration '" + text + "'; use e.g. 45s, 30m, 4h or 7d");
        }
    }

    public static String format(Duration d) {
        long s = d.getSeconds();
        if (s % 86400 == 0 && s > 0) {
            return s / 86400 + "d";
        }
        if (s % 3600 == 0 && s > 0) {
            return s / 3600 + "h";
        }
        if (s % 60 == 0 && s > 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }

    /** "k=v,k=v" as stored. */
    public static Map<String, String> pairs(String text) {
        Map<String, String> m = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return m;
        }
        for (String part : text.split(",")) {
            int eq = part.lastIndexOf('=');
            if (eq <= 0) {
                throw new LifeboatException("Expected NAME=VALUE, got '" + part + "'");
            }
            m.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
        }
        return m;
    }
}
