package dev.lifeboat.core.proof;

import dev.lifeboat.core.history.RestoreTestRecord;
import dev.lifeboat.core.history.DrillRecord;
import dev.lifeboat.core.model.Check;

import dev.lifeboat.core.history.HistoryStore;
import dev.lifeboat.core.history.RunStep;
import dev.lifeboat.core.model.StackSettings;
import dev.lifeboat.core.storage.ManifestCodec;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The recovery report of a stack, from the history: the recovery-time table (per scenario: targets
 * against the last measured figures, when it was last tested), the next drill due, the drill history
 * with the latest drill's phases, and the restore tests. As Markdown or as a self-contained XHTML page.
 */
public final class DrillReports {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private DrillReports() {
    }

    /** A table: a caption, column headings and rows of plain text. */
    record Table(String caption, List<String> head, List<List<String>> rows) {
    }

    static List<Table> tables(HistoryStore history, String host, String stack) {
        StackSettings settings = history.plans().settings(host, stack);
        List<DrillRecord> drills = history.proof().drills(host, stack);
        List<Table> tables = new ArrayList<>();

        Map<String, DrillRecord> latest = new LinkedHashMap<>();
        for (String s : DrillService.SCENARIOS) {
            drills.stream().filter(d -> d.scenario().equals(s)).findFirst().ifPresent(d -> latest.put(s, d));
        }
        List<List<String>> rto = new ArrayList<>();
        for (String s : DrillService.SCENARIOS) {
            DrillRecord d = latest.get(s);
            rto.add(d == null
                    ? List.of(s, StackSettings.format(settings.rto()), "never tested", StackSettings.format(settings.rpo()), "-", "-", "-")
                    : List.of(s, target(d.rtoTargetMs()), dur(d.rtoMs()) + mark(d.rtoMs(), d.rtoTargetMs()), target(d.rpoTargetMs()),
                    dur(d.rpoMs()) + mark(d.rpoMs(), d.rpoTargetMs()), WHEN.format(d.startedAt()) + " (" + d.mode() + ")",
                    d.ok() ? "pass" : "FAIL"));
        }
        tables.add(new Table("Recovery times: targets against the last drill of each scenario",
                List.of("Scenario", "RTO target", "RTO measured", "RPO target", "RPO measured", "Last tested", "Result"), rto));

        List<List<String>> history1 = new ArrayList<>();
        for (DrillRecord d : drills) {
            history1.add(List.of(WHEN.format(d.startedAt()), d.scenario(), d.mode(), d.actor(), d.pointId() == null ? "-" : d.pointId(),
                    dur(d.rtoMs()), dur(d.rpoMs()), d.ok() ? "pass" : "FAIL", d.notes() == null ? "" : d.notes(),
                    d.nextDue().toString()));
        }
        tables.add(new Table("Drill history", List.of("Started", "Scenario", "Mode", "By", "Point", "RTO", "RPO", "Result",
                "Notes", "Next due"), history1));

        if (!drills.isEmpty()) {
            DrillRecord last = drills.get(0);
            List<List<String>> phases = new ArrayList<>();
            for (RunStep p : parse(last.phasesJson(), RunStep[].class)) {
                phases.add(List.of(p.name(), dur(p.durationMs()), p.status(), p.detail() == null ? "" : p.detail()));
            }
            tables.add(new Table("Phases of the latest drill (" + last.scenario() + ", " + WHEN.format(last.startedAt()) + ")",
                    List.of("Phase", "Time", "Status", "Detail"), phases));
            List<List<String>> checks = new ArrayList<>();
            for (Check c : parse(last.checksJson(), Check[].class)) {
                checks.add(List.of(c.name(), c.ok() ? "pass" : "FAIL", c.detail()));
            }
            tables.add(new Table("Checks of the latest drill", List.of("Check", "Result", "Figures"), checks));
        }

        List<List<String>> tests = new ArrayList<>();
        for (RestoreTestRecord t : history.proof().restoreTests(host, stack)) {
            List<Check> failed = parse(t.checksJson(), Check[].class).stream().filter(c -> !c.ok()).toList();
            tests.add(List.of(WHEN.format(t.at()), t.pointId(), t.sandboxHost(), dur(t.durationMs()), t.ok() ? "pass" : "FAIL",
                    failed.isEmpty() ? "" : failed.get(0).name() + ": " + failed.get(0).detail()));
        }
        tables.add(new Table("Sandbox restore tests", List.of("When", "Point", "Sandbox host", "Duration", "Result",
                "First failure"), tests));
        return tables;
    }

    private static String target(long ms) {
        return StackSettings.format(Duration.ofMillis(ms));
    }

    private static String mark(Long actual, long target) {
        return actual == null ? "" : actual <= target ? " (met)" : " (missed)";
    }

    static String nextDue(HistoryStore history, String host, String stack) {
        List<DrillRecord> drills = history.proof().drills(host, stack);
        if (drills.isEmpty()) {
            return "No drill recorded yet: one is due now.";
        }
        LocalDate due = drills.get(0).nextDue();
        return "Next drill due " + due + (due.isBefore(LocalDate.now(ZoneOffset.UTC)) ? " (overdue)." : ".");
    }

    public static String markdown(HistoryStore history, String host, String stack, String version) {
        StringBuilder b = new StringBuilder();
        b.append("# Recovery report: ").append(host).append('/').append(stack).append("\n\n");
        b.append("Generated ").append(WHEN.format(Instant.now())).append(" by Lifeboat ").append(version).append(". ")
                .append(nextDue(history, host, stack)).append("\n");
        for (Table t : tables(history, host, stack)) {
            b.append("\n## ").append(t.caption()).append("\n\n");
            if (t.rows().isEmpty()) {
                b.append("None yet.\n");
                continue;
            }
            b.append(row(t.head())).append(row(t.head().stream().map(h -> "---").toList()));
            t.rows().forEach(r -> b.append(row(r)));
        }
        return b.toString();
    }

    private static String row(List<String> cells) {
        return Runbook.row(cells);
    }

    public static String html(HistoryStore history, String host, String stack, String version) {
        StringBuilder b = new StringBuilder();
        String title = "Recovery report: " + host + "/" + stack;
        b.append("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
                .append("<title>").append(esc(title)).append("</title>\n<style>")
                .append("body{font-family:system-ui,sans-serif;margin:2em;color:#1f2328}")
                .append("table{border-collapse:collapse;margin:0.5em 0 1.5em}th,td{border:1px solid #d0d7de;padding:4px 8px;")
                .append("text-align:left;vertical-align:top}th{background:#f6f8fa}.FAIL{color:#cf222e;font-weight:bold}")
                .append(".pass{color:#1a7f37}</style>\n</head>\n<body>\n<h1>").append(esc(title)).append("</h1>\n<p>Generated ")
                .append(esc(WHEN.format(Instant.now()))).append(" by Lifeboat ").append(esc(version)).append(". ")
                .append(esc(nextDue(history, host, stack))).append("</p>\n");
        for (Table t : tables(history, host, stack)) {
            b.append("<h2>").append(esc(t.caption())).append("</h2>\n");
            if (t.rows().isEmpty()) {
                b.append("<p>None yet.</p>\n");
                continue;
            }
            b.append("<table>\n<thead><tr>");
            t.head().forEach(h -> b.append("<th>").append(esc(h)).append("</th>"));
            b.append("</tr></thead>\n<tbody>\n");
            for (List<String> r : t.rows()) {
                b.append("<tr>");
                r.forEach(c -> b.append(c.equals("FAIL") || c.equals("pass") ? "<td class=\"" + c + "\">" : "<td>")
                        .append(esc(c)).append("</td>"));
                b.append("</tr>\n");
            }
            b.append("</tbody>\n</table>\n");
        }
        return b.append("</body>\n</html>\n").toString();
    }

    private static String esc(String s) {
        return Runbook.esc(s);
    }

    static String dur(Long ms) {
        if (ms == null) {
            return "-";
        }
        Duration d = Duration.ofMillis(ms);
        long s = d.getSeconds();
        if (s >= 86400) {
            return String.format("%dd %dh", s / 86400, s % 86400 / 3600);
        }
        if (s >= 3600) {
            return String.format("%dh %02dm", s / 3600, s % 3600 / 60);
        }
        if (s >= 60) {
            return String.format("%dm %02ds", s / 60, s % 60);
        }
        return String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    private static <T> List<T> parse(String json, Class<T[]> type) {
        try {
            return List.of(ManifestCodec.mapper().readValue(json, type));
        } catch (IOException e) {
            return List.of();
        }
    }
}
