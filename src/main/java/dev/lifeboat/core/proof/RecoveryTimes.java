package dev.lifeboat.core.proof;

import dev.lifeboat.core.history.DrillRecord;
import dev.lifeboat.core.history.HistoryStore;
import dev.lifeboat.core.model.RecoveryPoint;
import dev.lifeboat.core.model.StackSettings;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The fleet's recovery times: for every stack the history knows (by its points or its drills), its RTO and
 * RPO targets against what the latest drill of each scenario measured, when that was, and when the next
 * drill is due. A stack never drilled says so. Rendered like the runbook (Markdown, XHTML, PDF).
 */
public final class RecoveryTimes {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private RecoveryTimes() {
    }

    public static Runbook.Document fleet(HistoryStore history, String version, LocalDate today) {
        TreeSet<String> stacks = new TreeSet<>();
        for (RecoveryPoint p : history.points().of(null, null)) {
            if (!p.isSafety()) {
                stacks.add(p.host() + "/" + p.stack());
            }
        }
        List<DrillRecord> all = history.proof().drills(null, null);
        all.forEach(d -> stacks.add(d.host() + "/" + d.stack()));
        List<List<String>> rows = new ArrayList<>();
        int met = 0;
        int missed = 0;
        int never = 0;
        for (String ref : stacks) {
            String host = ref.substring(0, ref.indexOf('/'));
            String stack = ref.substring(ref.indexOf('/') + 1);
            StackSettings settings = history.plans().settings(host, stack);
            List<DrillRecord> drills = all.stream().filter(d -> d.host().equals(host) && d.stack().equals(stack)).toList();
            if (drills.isEmpty()) {
                never++;
                rows.add(List.of(ref, "-", StackSettings.format(settings.rto()), "never drilled", StackSettings.format(settings.rpo()),
                        "-", "-", "due now"));
                continue;
            }
            String due = drills.get(0).nextDue() + (drills.get(0).nextDue().isBefore(today) ? " (overdue)" : "");
            for (String scenario : DrillService.SCENARIOS) {
                DrillRecord d = drills.stream().filter(x -> x.scenario().equals(scenario)).findFirst().orElse(null);
                if (d == null) {
                    continue;
                }
                boolean ok = d.ok() && d.rtoMs() != null && d.rtoMs() <= d.rtoTargetMs()
                        && (d.rpoMs() == null || d.rpoMs() <= d.rpoTargetMs());
                if (ok) {
                    met++;
                } else {
                    missed++;
                }
                rows.add(List.of(ref, scenario, StackSettings.format(Duration.ofMillis(d.rtoTargetMs())),
                        DrillReports.dur(d.rtoMs()) + (d.rtoMs() == null ? "" : d.rtoMs() <= d.rtoTargetMs() ? " (met)" : " (missed)"),
                        StackSettings.format(Duration.ofMillis(d.rpoTargetMs())),
                        DrillReports.dur(d.rpoMs()) + (d.rpoMs() == null ? "" : d.rpoMs() <= d.rpoTargetMs() ? " (met)" : " (missed)"),
                        WHEN.format(d.startedAt()) + " (" + d.mode() + ", " + (d.ok() ? "pass" : "FAIL") + ")", due));
            }
        }
        String summary = stacks.isEmpty() ? "No stack has a backup or a drill yet."
                : stacks.size() + " stacks: " + met + " scenario" + (met == 1 ? "" : "s") + " within target, " + missed
                + " missed or failed, " + never + " stack" + (never == 1 ? "" : "s") + " never drilled.";
        List<Runbook.Block> blocks = new ArrayList<>();
        blocks.add(new Runbook.Para(summary));
        blocks.add(new Runbook.TableBlock("Targets against the latest drill of each scenario",
                List.of("Stack", "Scenario", "RTO target", "RTO measured", "RPO target", "RPO measured", "Last drill", "Next due"),
                rows));
        return new Runbook.Document("Recovery times of the fleet", "Generated " + WHEN.format(Instant.now()) + " by Lifeboat "
                + version + " from its history.", List.of(new Runbook.Section(2, "Targets and measured figures", blocks)));
    }
}
