package dev.lifeboat.ui;

import dev.lifeboat.AppContext;
import dev.lifeboat.core.history.DestinationRecord;
import dev.lifeboat.core.history.HistoryStore;
import dev.lifeboat.core.history.RunStep;
import dev.lifeboat.core.history.TestClock;
import dev.lifeboat.core.model.Host;
import dev.lifeboat.core.model.RecoveryPoint;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Ninety days of one stack's history written through the history's own repositories, as an agent and an
 * admin would have left it: a backup every six hours to "nas" (each a backup run with its phases), the
 * midnight ones copied to "offsite", every fourth point verified, one a week restore-tested, a failed backup
 * every eleven days, two days without any backup, a drill a month (the last one failed) and two restores.
 * It ends at the last six-hour slot before now, so the console's ages and RPO read as on a real morning.
 */
public final class NinetyDaysHistory {
    public static final String HOST = "db1";
    public static final String STACK = "shop";

    private NinetyDaysHistory() {
    }

    /** Writes the history into {@code home}; returns the newest point's id. */
    public static String write(Path home) {
        Instant end = Instant.now().truncatedTo(ChronoUnit.HOURS);
        end = end.minus(Duration.ofHours(end.atZone(ZoneOffset.UTC).getHour() % 6));
        Instant start = end.minus(Duration.ofDays(90));
        Instant holeFrom = end.minus(Duration.ofDays(41)).truncatedTo(ChronoUnit.DAYS);
        Instant holeTo = holeFrom.plus(Duration.ofHours(54));
        TestClock clock = new TestClock(start);
        String newest = null;
        try (HistoryStore h = HistoryStore.open(home, clock)) {
            h.hosts().add(new Host(HOST, "unix:///nonexistent/docker.sock", true));
            h.destinations().add(new DestinationRecord("nas", "local", home.resolve("nas").toString(), "/k", "abc"));
            h.destinations().add(new DestinationRecord("offsite", "local", home.resolve("offsite").toString(), "/k", "abc"));
            int n = 0;
            for (Instant at = start.plus(Duration.ofHours(6)); !at.isAfter(end); at = at.plus(Duration.ofHours(6))) {
                n++;
                if (!at.isBefore(holeFrom) && at.isBefore(holeTo)) {
                    continue; // the agent's machine was down: no run at all
                }
                clock.set(at);
                String run = h.runs().start("backup", HOST, STACK, null, "nas", "agent");
                long dump = 38_000 + 40L * n;
                clock.set(at.plusMillis(dump + 21_000));
                if (n % 44 == 0) {
                    h.runs().finish(run, "failed", "pg_dump: connection to server failed: Connection refused", null,
                            List.of(new RunStep("checks", 1_200, null, "ok", null),
                                    new RunStep("postgres:shop-db", 400, null, "failed", "connection refused")));
                    continue;
                }
                String id = String.format("p%03d-%s", n, at.toString().substring(0, 13).replace("-", "").replace("T", ""));
                long bytes = (300L + n) << 20;
                h.points().record(new RecoveryPoint(id, HOST, STACK, "nas", at, HOST + "/" + STACK + "/" + id, bytes, "backup"),
                        "0".repeat(64));
                h.runs().finish(run, "ok", "3 databases, 1 volume, redis, config", id, List.of(
                        new RunStep("checks", 1_200, null, "ok", null), new RunStep("postgres:shop-db", dump, bytes * 3 / 4, "ok", null),
                        new RunStep("volume:shop_uploads", 14_000, bytes / 5, "ok", null),
                        new RunStep("redis:shop-cache", 2_100, bytes / 40, "ok", null),
                        new RunStep("config", 300, 40_000L, "ok", null)));
                newest = id;
                if (at.atZone(ZoneOffset.UTC).getHour() == 0) {
                    clock.set(at.plus(Duration.ofMinutes(20)));
                    String copy = h.runs().start("replicate", HOST, STACK, id, "offsite", "agent");
                    h.points().record(new RecoveryPoint(id, HOST, STACK, "offsite", at, HOST + "/" + STACK + "/" + id, bytes, "copy"),
                            "0".repeat(64));
                    clock.set(at.plus(Duration.ofMinutes(24)));
                    h.runs().finish(copy, "ok", "copied to offsite", id, List.of());
                }
                if (n % 4 == 0) {
                    clock.set(at.plus(Duration.ofHours(1)));
                    String verify = h.runs().start("verify", HOST, STACK, id, "nas", "agent");
                    clock.set(at.plus(Duration.ofHours(1)).plusSeconds(19));
                    h.runs().finish(verify, "ok", "all checks passed", id, List.of());
                }
                if (n % 28 == 0) {
                    clock.set(at.plus(Duration.ofHours(2)));
                    String test = h.runs().start("restore-test", HOST, STACK, id, "nas", "agent");
                    clock.set(at.plus(Duration.ofHours(2)).plusSeconds(74));
                    h.runs().finish(test, "ok", "sandbox restore: all checks passed", id, List.of());
                    h.proof().recordRestoreTest(new dev.lifeboat.core.history.RestoreTestRecord(test, id, HOST, STACK, HOST,
                            at.plus(Duration.ofHours(2)).atOffset(ZoneOffset.UTC), 74_000, true, "[]"));
                }
            }
            for (int days : new int[] {40, 12}) { // after the outage, and one table brought back
                Instant at = end.minus(Duration.ofDays(days)).plus(Duration.ofHours(9));
                clock.set(at);
                String restore = h.runs().start("restore", HOST, STACK, null, "nas", "alice");
                clock.set(at.plusSeconds(days == 40 ? 212 : 31));
                h.runs().finish(restore, "ok", days == 40 ? "everything restored" : "postgres:shop.public.orders restored", null,
                        List.of());
            }
        }
        try (AppContext app = new AppContext(home)) {
            for (int month = 3; month >= 1; month--) {
                Instant at = end.minus(Duration.ofDays(30L * month - 5)).truncatedTo(ChronoUnit.DAYS).plus(Duration.ofHours(10));
                boolean ok = month != 1;
                app.drills().recordManual(HOST, STACK, "complete-failure", at, List.of(
                        new RunStep("verify", 19_000, null, "ok", null), new RunStep("stop", 3_000, null, "ok", null),
                        new RunStep("volumes", 10_200 + month * 700L, null, "ok", null),
                        new RunStep("databases", 56_300 - month * 2_100L, null, "ok", null),
                        new RunStep("start", 4_100, null, "ok", null), new RunStep("health", 6_000, null, ok ? "ok" : "failed", null)),
                        ok, Duration.ofHours(5 + month), ok ? "monthly drill" : "the app's probe failed after the restore");
            }
        }
        return newest;
    }
}
