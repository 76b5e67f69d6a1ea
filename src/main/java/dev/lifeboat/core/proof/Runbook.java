package dev.lifeboat.core.proof;

import dev.lifeboat.core.history.DestinationRecord;
import dev.lifeboat.core.history.DrillRecord;
import dev.lifeboat.core.history.HistoryStore;
import dev.lifeboat.core.history.PitrConfig;
import dev.lifeboat.core.model.AlertChannel;
import dev.lifeboat.core.model.AssetRecord;
import dev.lifeboat.core.model.BackupPlan;
import dev.lifeboat.core.model.Host;
import dev.lifeboat.core.model.RecoveryPoint;
import dev.lifeboat.core.model.StackSettings;
import dev.lifeboat.core.storage.PointLocator;
import dev.lifeboat.core.storage.Repositories;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A stack's DR runbook, generated from what Lifeboat knows, never written by hand: what is backed up and
 * where (schedule, retention, where each key lives; never a key), the recovery steps of each scenario
 * with this stack's exact commands, targets against the latest drills' figures, and whom the alerts
 * reach. One document model, rendered as Markdown, as a self-contained XHTML page, or as PDF from that
 * page. Secrets never appear: keys are named by where they are, channels by kind and recipient, never by
 * webhook URL or password.
 */
public final class Runbook {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    /** A piece of a section: a paragraph, a list, numbered steps (each with its command, if any), or a table. */
    public sealed interface Block permits Para, Bullets, Steps, TableBlock {
    }

    public record Para(String text) implements Block {
    }

    public record Bullets(List<String> items) implements Block {
    }

    /** One step: what to do and, where there is one, the exact command (a shell line). */
    public record Step(String text, String command) {
    }

    public record Steps(List<Step> steps) implements Block {
    }

    public record TableBlock(String caption, List<String> head, List<List<String>> rows) implements Block {
    }

    public record Section(int level, String heading, List<Block> blocks) {
    }

    public record Document(String title, String generated, List<Section> sections) {
    }

    private Runbook() {
    }

    /** The runbook of {@code host/stack} from the history (and the newest point's manifest, when its destination answers). */
    public static Document of(HistoryStore history, Repositories repositories, String host, String stack, String version,
                              Path home) {
        Host h = history.hosts().require(host);
        String ref = host + "/" + stack;
        String confirm = h.production() ? " --confirm 'RESTORE PRODUCTION'" : "";
        StackSettings settings = history.plans().settings(host, stack);
        List<BackupPlan> plans = history.plans().all().stream().filter(p -> p.host().equals(host) && p.stack().equals(stack)).toList();
        List<RecoveryPoint> points = history.points().of(host, stack).stream().filter(p -> !p.isSafety())
                .sorted(Comparator.comparing(RecoveryPoint::createdAt).reversed()).toList();
        List<Section> sections = new ArrayList<>();

        // what is backed up, and where
        List<Block> what = new ArrayList<>();
        what.add(new Para("Host " + host + " (" + (h.endpoint().startsWith("ssh://") ? "reached over SSH, " + h.endpoint()
                : "Docker at " + h.endpoint()) + ")" + (h.production() ? ", marked production: every restore onto it needs"
                + " the phrase RESTORE PRODUCTION." : ".")));
        List<AssetRecord> assets = List.of();
        String newest = "No backup of this stack is recorded yet.";
        if (!points.isEmpty()) {
            RecoveryPoint p = points.get(0);
            newest = "Newest point: " + p.id() + ", " + WHEN.format(p.createdAt()) + ", on " + p.destination() + " ("
                    + dev.lifeboat.core.Units.bytes(p.storedBytes()) + ").";
            try (PointLocator.Located located = new PointLocator(repositories).locate(p.id())) {
                assets = located.manifest().assets();
            } catch (RuntimeException e) {
                newest += " Its manifest could not be read to list what it holds: " + e.getMessage();
            }
        }
        what.add(new Para(newest));
        if (!assets.isEmpty()) {
            List<List<String>> rows = new ArrayList<>();
            for (AssetRecord a : assets) {
                long plain = a.artifacts().stream().mapToLong(x -> x.plainBytes()).sum();
                rows.add(List.of(a.name(), a.kind(), a.container() == null ? "-" : a.container(),
                        dev.lifeboat.core.Units.bytes(plain)));
            }
            what.add(new TableBlock("What each point holds (from the newest point's manifest)",
                    List.of("Asset", "Kind", "Container", "Size before compression"), rows));
        }
        if (plans.isEmpty()) {
            what.add(new Para("No backup plan: this stack is backed up by hand only (lifeboat backup " + ref + ")."));
        } else {
            List<List<String>> rows = new ArrayList<>();
            for (BackupPlan p : plans) {
                rows.add(List.of(p.name(), p.destination() + (p.copies().isEmpty() ? "" : ", copies on " + String.join(", ", p.copies())),
                        p.backupCron() + " (" + p.zone() + ")", p.verifyCron() == null ? "-" : p.verifyCron(),
                        p.retention() == null ? "default" : p.retention().toString(), p.restoreTest() ? "yes" : "no"));
            }
            what.add(new TableBlock("Backup plans", List.of("Plan", "Destination", "Backups (cron)", "Verify (cron)",
                    "Retention", "Restore test"), rows));
        }
        List<String> destinations = new ArrayList<>();
        plans.stream().flatMap(p -> java.util.stream.Stream.concat(java.util.stream.Stream.of(p.destination()), p.copies().stream()))
                .distinct().forEach(destinations::add);
        points.stream().map(RecoveryPoint::destination).distinct().filter(d -> !destinations.contains(d)).forEach(destinations::add);
        List<List<String>> keys = new ArrayList<>();
        for (String name : destinations) {
            Optional<DestinationRecord> d = history.destinations().all().stream().filter(x -> x.name().equals(name)).findFirst();
            d.ifPresent(x -> keys.add(List.of(x.name(), x.kind(), where(x.location()), keyPlace(x.keyFile(), home), x.keyId())));
        }
        if (!keys.isEmpty()) {
            what.add(new TableBlock("Destinations and where their keys live (the keys themselves are never in this document)",
                    List.of("Destination", "Kind", "Location", "Key", "Key id"), keys));
        }
        List<PitrConfig> pitr = history.pitr().of(host, stack);
        for (PitrConfig c : pitr) {
            what.add(new Para("WAL shipping is on for " + c.asset() + " (to " + c.destination() + ", a segment at least every "
                    + c.switchSeconds() + " s): it can be restored to any moment after its oldest base backup."));
        }
        sections.add(new Section(2, "What is backed up, and where", what));

        // targets against what drills measured
        List<Block> targets = new ArrayList<>();
        targets.add(new Para("Targets: RTO " + StackSettings.format(settings.rto()) + ", RPO " + StackSettings.format(settings.rpo())
                + ". " + DrillReports.nextDue(history, host, stack)));
        List<DrillReports.Table> tables = DrillReports.tables(history, host, stack);
        targets.add(table(tables.get(0)));
        sections.add(new Section(2, "Recovery times: targets against the latest drills", targets));

        // the scenarios
        String db = assets.stream().filter(a -> a.kind().equals("postgres")).findFirst().map(AssetRecord::name).orElse(null);
        String volume = assets.stream().filter(a -> a.kind().equals("volume")).findFirst().map(AssetRecord::name).orElse(null);
        boolean redis = assets.stream().anyMatch(a -> a.kind().equals("redis"));
        String point = points.isEmpty() ? "POINT" : points.get(0).id();
        List<Step> common = List.of(
                new Step("List the points and choose one from before the damage (the newest verified one when in doubt).",
                        "lifeboat points " + ref),
                new Step("Check that the point is intact: every artifact is read and its checksums and authentication checked.",
                        "lifeboat verify " + point));
        List<Step> corruption = new ArrayList<>(common);
        String dbScope = db == null ? "postgres" : db;
        corruption.add(new Step("See what the restore would do, without changing anything.",
                "lifeboat restore " + point + " --only " + dbScope + " --dry-run"));
        corruption.add(new Step("Restore the databases. They are restored beside the live ones and swapped in by rename; the"
                + " replaced ones stay on the server, closed, for " + StackSettings.format(settings.keptRetention())
                + " (lifeboat safety list " + ref + ").", "lifeboat restore " + point + " --only " + dbScope + confirm));
        corruption.add(new Step("For one table only (its rows come back, the other tables keep their newer writes):",
                "lifeboat restore " + point + " --only " + dbScope + ".TABLE" + confirm));
        if (!pitr.isEmpty()) {
            corruption.add(new Step("Or to the moment just before the corruption, from the base backup and the shipped WAL:",
                    "lifeboat restore " + ref + " --to-time 'YYYY-MM-DD HH:MM:SS+00'" + confirm));
        }
        sections.add(new Section(2, "Scenario: database corruption", List.of(new Steps(corruption))));

        List<Step> failure = new ArrayList<>();
        failure.add(new Step("Provision a Docker host (Debian 12 with docker.io) and make sure this workstation reaches it.", null));
        failure.add(new Step("Register it.", "lifeboat host add NEW-HOST --docker ssh://root@NEW-HOST"));
        failure.add(new Step("See the plan of a restore onto it: the stack's containers, networks and volumes are recreated from"
                + " the point's record.", "lifeboat restore " + point + " --to NEW-HOST --dry-run"));
        failure.add(new Step("Restore the whole stack onto it.", "lifeboat restore " + point + " --to NEW-HOST"));
        failure.add(new Step("Point DNS or the load balancer at the new host, then check the app.", null));
        sections.add(new Section(2, "Scenario: complete failure of " + host, List.of(new Steps(failure))));

        List<Step> deletion = new ArrayList<>(common);
        String volScope = volume == null ? "volume:NAME" : volume;
        deletion.add(new Step("Restore the volume: it is written beside the live data and swapped in; what it replaces is kept in"
                + " the volume (lifeboat safety list " + ref + ").", "lifeboat restore " + point + " --only " + volScope + confirm));
        deletion.add(new Step("Config files and .env come back with:", "lifeboat restore " + point + " --only config" + confirm));
        sections.add(new Section(2, "Scenario: accidental deletion of files", List.of(new Steps(deletion))));

        if (redis) {
            List<Step> r = new ArrayList<>(common);
            r.add(new Step("Restore Redis: its data file (and AOF) are written beside the live ones and swapped in while Redis"
                    + " restarts.", "lifeboat restore " + point + " --only redis" + confirm));
            sections.add(new Section(2, "Scenario: Redis data lost", List.of(new Steps(r))));
        }

        List<Step> self = new ArrayList<>();
        self.add(new Step("Lifeboat's own state (history, hosts, destinations, plans, the secret store) is the directory "
                + home.toAbsolutePath() + " on this workstation. Keep a copy of it off this machine, taken while no Lifeboat"
                + " runs, together with the key files named above.", "tar czf lifeboat-home.tgz -C " + home.toAbsolutePath().getParent()
                + " " + home.getFileName()));
        self.add(new Step("On the new workstation: install Lifeboat, then put the copy back in the same place.",
                "tar xzf lifeboat-home.tgz -C " + home.toAbsolutePath().getParent()));
        self.add(new Step("Put each key file back where the table above says (or have the secret store's master password ready)."
                + " Then check that the points are there and readable.", "lifeboat points " + ref + " && lifeboat verify " + point));
        sections.add(new Section(2, "Scenario: this workstation is gone (recover Lifeboat itself)", List.of(new Steps(self))));

        // the last drill, and whom to call
        List<Block> last = new ArrayList<>();
        List<DrillRecord> drills = history.proof().drills(host, stack);
        if (drills.isEmpty()) {
            last.add(new Para("No drill recorded yet (lifeboat drill run " + ref + ")."));
        } else {
            DrillRecord d = drills.get(0);
            last.add(new Para(WHEN.format(d.startedAt()) + ", " + d.scenario() + " (" + d.mode() + ", by " + d.actor() + "): "
                    + (d.ok() ? "passed" : "FAILED") + "; RTO " + DrillReports.dur(d.rtoMs()) + ", RPO " + DrillReports.dur(d.rpoMs())
                    + (d.notes() == null || d.notes().isBlank() ? "." : ". " + d.notes())));
            tables.stream().filter(t -> t.caption().startsWith("Checks of the latest drill")).findFirst()
                    .ifPresent(t -> last.add(table(t)));
        }
        sections.add(new Section(2, "The last drill", last));

        List<String> contacts = new ArrayList<>();
        for (AlertChannel c : history.alerts().channels()) {
            switch (c.kind()) {
                case "email" -> contacts.add(c.name() + ": e-mail to " + (c.target().startsWith("secret:") ? "(recipients in the secret"
                        + " store)" : c.target()));
                case "slack" -> contacts.add(c.name() + ": a Slack channel, by its incoming webhook");
                case "webhook" -> contacts.add(c.name() + ": a webhook (an on-call or chat system)");
                default -> {
                    // pings (a dead man's switch) reach no person
                }
            }
        }
        sections.add(new Section(2, "Contacts", List.of(contacts.isEmpty()
                ? new Para("No alert channel reaches a person yet (lifeboat alert channel add).") : new Bullets(contacts))));
        return new Document("DR runbook: " + ref, "Generated " + WHEN.format(Instant.now()) + " by Lifeboat " + version
                + " from its history. Regenerate it after any change; do not edit it by hand.", sections);
    }

    /** A location as people read it: without its query (endpoint options, the names of secrets). */
    private static String where(String location) {
        int q = location.indexOf('?');
        return q < 0 ? location : location.substring(0, q);
    }

    private static String keyPlace(String keyFile, Path home) {
        if (keyFile == null) {
            return "-";
        }
        return keyFile.startsWith("secret:") ? "in Lifeboat's secret store as " + keyFile.substring("secret:".length())
                + " (under " + home.toAbsolutePath() + ", opened with the master password)" : "the file " + keyFile;
    }

    private static TableBlock table(DrillReports.Table t) {
        return new TableBlock(t.caption(), t.head(), t.rows());
    }

    // ---------------------------------------------------------------- rendering

    public static String markdown(Document d) {
        StringBuilder b = new StringBuilder("# ").append(d.title()).append("\n\n").append(d.generated()).append("\n");
        for (Section s : d.sections()) {
            b.append('\n').append("#".repeat(s.level())).append(' ').append(s.heading()).append("\n\n");
            for (Block block : s.blocks()) {
                if (block instanceof Para p) {
                    b.append(p.text()).append("\n\n");
                } else if (block instanceof Bullets l) {
                    l.items().forEach(i -> b.append("- ").append(i).append('\n'));
                    b.append('\n');
                } else if (block instanceof Steps st) {
                    {
                        int n = 1;
                        for (Step step : st.steps()) {
                            b.append(n++).append(". ").append(step.text()).append('\n');
                            if (step.command() != null) {
                                b.append("\n   ```sh\n   ").append(step.command()).append("\n   ```\n\n");
                            }
                        }
                        b.append('\n');
                    }
                } else if (block instanceof TableBlock t) {
                    {
                        b.append("**").append(t.caption()).append("**\n\n");
                        if (t.rows().isEmpty()) {
                            b.append("None yet.\n\n");
                        } else {
                            b.append(row(t.head())).append(row(t.head().stream().map(x -> "---").toList()));
                            t.rows().forEach(r -> b.append(row(r)));
                            b.append('\n');
                        }
                    }
                }
            }
        }
        return b.toString();
    }

    static String row(List<String> cells) {
        StringBuilder b = new StringBuilder("|");
        for (String c : cells) {
            b.append(' ').append(c.replace("|", "\\|").replace("\n", " ")).append(" |");
        }
        return b.append('\n').toString();
    }

    /** Well-formed XHTML (the PDF is rendered from it), self-contained: no script, no external resource. */
    public static String html(Document d) {
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
                .append("<title>").append(esc(d.title())).append("</title>\n<style>")
                .append("body{font-family:'DejaVu Sans',sans-serif;font-size:10.5pt;margin:2em;color:#1f2328}")
                .append("h1{font-size:18pt}h2{font-size:13pt;margin-top:1.4em;border-bottom:1px solid #d0d7de}")
                .append("table{border-collapse:collapse;margin:0.4em 0 1.2em}th,td{border:1px solid #d0d7de;padding:3px 6px;")
                .append("text-align:left;vertical-align:top;font-size:9pt}th{background:#f6f8fa}")
                .append("pre{background:#f6f8fa;padding:6px 8px;font-family:'DejaVu Sans Mono',monospace;font-size:9pt;")
                .append("white-space:pre-wrap;word-wrap:break-word}.caption{font-weight:bold;margin-top:0.8em}")
                .append("@page{size:A4;margin:18mm}</style>\n</head>\n<body>\n<h1>").append(esc(d.title())).append("</h1>\n<p>")
                .append(esc(d.generated())).append("</p>\n");
        for (Section s : d.sections()) {
            b.append("<h").append(s.level()).append('>').append(esc(s.heading())).append("</h").append(s.level()).append(">\n");
            for (Block block : s.blocks()) {
                if (block instanceof Para p) {
                    b.append("<p>").append(esc(p.text())).append("</p>\n");
                } else if (block instanceof Bullets l) {
                    b.append("<ul>\n");
                    l.items().forEach(i -> b.append("<li>").append(esc(i)).append("</li>\n"));
                    b.append("</ul>\n");
                } else if (block instanceof Steps st) {
                    {
                        b.append("<ol>\n");
                        for (Step step : st.steps()) {
                            b.append("<li><p>").append(esc(step.text())).append("</p>");
                            if (step.command() != null) {
                                b.append("<pre class=\"command\">").append(esc(step.command())).append("</pre>");
                            }
                            b.append("</li>\n");
                        }
                        b.append("</ol>\n");
                    }
                } else if (block instanceof TableBlock t) {
                    {
                        b.append("<p class=\"caption\">").append(esc(t.caption())).append("</p>\n");
                        if (t.rows().isEmpty()) {
                            b.append("<p>None yet.</p>\n");
                        } else {
                            b.append("<table>\n<thead><tr>");
                            t.head().forEach(h -> b.append("<th>").append(esc(h)).append("</th>"));
                            b.append("</tr></thead>\n<tbody>\n");
                            for (List<String> r : t.rows()) {
                                b.append("<tr>");
                                r.forEach(c -> b.append("<td>").append(esc(c)).append("</td>"));
                                b.append("</tr>\n");
                            }
                            b.append("</tbody>\n</table>\n");
                        }
                    }
                }
            }
        }
        return b.append("</body>\n</html>\n").toString();
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** The XHTML page as PDF (openhtmltopdf on PDFBox), with DejaVu fonts where the system has them. */
    public static void pdf(Document d, OutputStream out) throws IOException {
        PdfLog.install();
        var builder = new com.openhtmltopdf.pdfboxout.PdfRendererBuilder();
        builder.useFastMode();
        for (String[] font : new String[][] {{"DejaVuSans.ttf", "DejaVu Sans"}, {"DejaVuSansMono.ttf", "DejaVu Sans Mono"}}) {
            Path f = Path.of("/usr/share/fonts/truetype/dejavu", font[0]);
            if (Files.isRegularFile(f)) {
                builder.useFont(f.toFile(), font[1]);
            }
        }
        builder.withHtmlContent(html(d), null);
        builder.toStream(out);
        try {
            builder.run();
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("Cannot render the runbook as PDF: " + e.getMessage(), e);
        }
    }

    /**
     * The PDF renderer's log, into Lifeboat's (debug; warnings as warnings) instead of java.util.logging's
     * console handler, which would print on the CLI's stderr.
     */
    private static final class PdfLog implements com.openhtmltopdf.util.XRLogger {
        private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("dev.lifeboat.core.proof.Runbook.pdf");
        private static final java.util.concurrent.atomic.AtomicBoolean INSTALLED = new java.util.concurrent.atomic.AtomicBoolean();

        static void install() {
            if (INSTALLED.compareAndSet(false, true)) {
                com.openhtmltopdf.util.XRLog.setLoggerImpl(new PdfLog());
            }
        }

        @Override
        public void log(String where, java.util.logging.Level level, String msg) {
            log(where, level, msg, null);
        }

        @Override
        public void log(String where, java.util.logging.Level level, String msg, Throwable th) {
            if (level.intValue() >= java.util.logging.Level.WARNING.intValue()) {
                LOG.warn("{}: {}", where, msg);
            } else {
                LOG.debug("{}: {}", where, msg);
            }
        }

        @Override
        public void setLevel(String logger, java.util.logging.Level level) {
            // the level is Lifeboat's logging configuration's
        }

        @Override
        public boolean isLogLevelEnabled(com.openhtmltopdf.util.Diagnostic diagnostic) {
            return diagnostic.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue() || LOG.isDebugEnabled();
        }
    }

    /** The document in {@code format} (md, html or pdf) as bytes. */
    public static byte[] render(Document d, String format) throws IOException {
        return switch (format) {
            case "md", "markdown" -> markdown(d).getBytes(StandardCharsets.UTF_8);
            case "html" -> html(d).getBytes(StandardCharsets.UTF_8);
            case "pdf" -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                pdf(d, out);
                yield out.toByteArray();
            }
            default -> throw new dev.lifeboat.core.LifeboatException("--format is md, html or pdf");
        };
    }
}
