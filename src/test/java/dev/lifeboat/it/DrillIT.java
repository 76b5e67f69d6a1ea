package dev.lifeboat.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.core.storage.ManifestCodec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** DR drills in a sandbox on the real rig: measured RTO/RPO, stored, reported; the live stack never changes. */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DrillIT {
    private static final List<String> DATABASES = List.of("postgres", "shop", "analytics");
    @TempDir
    static Path tmp;
    private Rig.DemoHome demo;
    private String pointId;

    @BeforeAll
    void demoStack() {
        demo = Rig.demoHome(tmp, Rig.uniqueName("drill"), false);
        pointId = demo.run("backup", demo.stack(), "--to", "disk", "-q").ok().out().trim();
    }

    @AfterAll
    void removeDemoStack() {
        Rig.removeByLabel(demo.name());
    }

    /** Redis values and whether each key expires (its remaining TTL moves with the clock, the deadline does not). */
    private record Live(Map<String, String> pg, Map<String, String> redis, String uploads,
                        Map<String, String> config, String containers, String volumes) {
    }

    private Live live() throws Exception {
        Map<String, String> redis = new java.util.TreeMap<>();
        StackFingerprint.redis(demo.redisPort()).forEach((k, v) -> redis.put(k, v.dump() + (v.pttl() > 0 ? " expiring" : "")));
        return new Live(StackFingerprint.postgres(demo.pgPort(), DATABASES), redis,
                StackFingerprint.volume(demo.name() + "_uploads"), StackFingerprint.config(demo.config()),
                Rig.docker("ps", "-a", "--no-trunc", "--format", "{{.ID}} {{.Names}} {{.State}}", "--filter",
                        "label=com.docker.compose.project=" + demo.name()),
                Rig.docker("volume", "ls", "-q", "--filter", "label=lifeboat.demo=" + demo.name()));
    }

    @Test
    @Order(1)
    void aCompleteFailureDrillMeasuresRtoAndRpoAndLeavesTheLiveStackByteIdentical() throws Exception {
        Live before = live();
        JsonNode r = ManifestCodec.mapper().readTree(demo.run("drill", demo.stack(), "--scenario", "complete-failure",
                "--notes", "first drill of the quarter", "--json").ok().out());
        assertTrue(r.get("ok").asBoolean(), r.toString());
        assertEquals(pointId, r.get("pointId").asText());
        long rto = r.get("rtoMs").asLong();
        long rpo = r.get("rpoMs").asLong();
        assertTrue(rto > 0 && rto < 3_600_000, "RTO measured: " + rto);
        assertTrue(rpo > 0 && rpo < 3_600_000, "RPO measured: " + rpo);
        List<String> phases = new ArrayList<>();
        // kinds restored side by side are one phase, named after them all (ADR 31)
        r.get("phases").forEach(p -> phases.addAll(List.of(p.get("name").asText().split(" \\+ "))));
        assertTrue(phases.containsAll(List.of("assessment", "stop", "volumes", "databases", "redis", "config", "start",
                "health", "verify")), phases.toString());
        long sum = 0;
        for (JsonNode p : r.get("phases")) {
            if (!List.of("clean leftovers", "remove sandbox").contains(p.get("name").asText())) {
                sum += p.get("durationMs").asLong();
            }
        }
        assertEquals(sum, rto, "RTO is the recovery's phases, assessment to verified");
        long down = 0;
        for (JsonNode p : r.get("phases")) {
            if (List.of("stop", "volumes", "databases", "redis", "config", "start", "health").containsAll(
                    List.of(p.get("name").asText().split(" \\+ ")))) {
                down += p.get("durationMs").asLong();
            }
        }
        assertEquals(down, r.get("downtimeMs").asLong(), "downtime: from stopping the stack to healthy again, within the RTO");
        assertTrue(down > 0 && down < rto, down + " of " + rto);
        assertEquals(before, live(), "the live stack is byte-identical after the drill");
        assertEquals(List.of(), Rig.sandboxObjects(demo.home()));
    }

    @Test
    @Order(2)
    void theOtherScenariosRecoverInTheSandboxToo() throws Exception {
        Live before = live();
        for (String scenario : List.of("database-corruption", "redis-loss", "accidental-deletion")) {
            JsonNode r = ManifestCodec.mapper().readTree(demo.run("drill", demo.stack(), "--scenario", scenario, "--json")
                    .ok().out());
            assertTrue(r.get("ok").asBoolean(), scenario + ": " + r);
        }
        assertEquals(before, live());
        assertEquals(List.of(), Rig.sandboxObjects(demo.home()));

        Rig.Result refused = demo.run("drill", demo.stack(), "--scenario", "complete-failure", "--in-place");
        assertEquals(3, refused.code(), "in place needs the production phrase: " + refused.err());
        demo.run("drill", "record", demo.stack(), "--scenario", "complete-failure", "--phase", "assessment=10m",
                "--phase", "restore databases=25m", "--phase", "verify=5m", "--result", "pass", "--rpo", "6h",
                "--at", "2026-10-20T09:00:00Z", "--notes", "paper drill with the ops team").ok();
    }

    @Test
    @Order(3)
    void theReportHasTheRecoveryTimeTableInMarkdownAndHtml() throws Exception {
        Path dir = Path.of(System.getProperty("lifeboat.reports", tmp.resolve("reports").toString()));
        Path md = dir.resolve("drill-report.md");
        Path html = dir.resolve("drill-report.html");
        demo.run("report", "drills", demo.stack(), "--format", "md", "--out", md.toString()).ok();
        demo.run("report", "drills", demo.stack(), "--format", "html", "--out", html.toString()).ok();

        List<String> rows = Files.readAllLines(md).stream().filter(l -> l.startsWith("| complete-failure |")).toList();
        List<String> cells = List.of(rows.get(0).substring(1).split(" \\| "));
        assertEquals("1h", cells.get(1).trim(), rows.get(0));
        assertTrue(cells.get(2).trim().endsWith("(met)") && cells.get(4).trim().endsWith("(met)"), rows.get(0));
        assertTrue(cells.get(6).trim().startsWith("pass"), rows.get(0));
        assertTrue(Files.readString(md).contains("paper drill with the ops team"));
        assertTrue(Files.readString(md).contains("| manual |") && Files.readString(md).contains("| sandbox |"));

        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", false);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        Document doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(Files.readString(html).getBytes(StandardCharsets.UTF_8)));
        NodeList tables = doc.getElementsByTagName("table");
        assertTrue(tables.getLength() >= 4, "tables: " + tables.getLength());
        NodeList cellsHtml = ((org.w3c.dom.Element) tables.item(0)).getElementsByTagName("td");
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < cellsHtml.getLength(); i++) {
            texts.add(cellsHtml.item(i).getTextContent());
        }
        int at = texts.indexOf("complete-failure");
        assertTrue(at >= 0, texts.toString());
        assertEquals("pass", texts.get(at + 6));
        assertTrue(texts.contains("redis-loss") && texts.contains("accidental-deletion"));
    }

    @Test
    @Order(4)
    void theRunbookIsGeneratedForTheDemoStackAsMarkdownHtmlAndPdfWithItsOwnCommandsAndNoKey() throws Exception {
        Path dir = Path.of(System.getProperty("lifeboat.reports", tmp.resolve("reports").toString()));
        Path md = dir.resolve("runbook.md");
        Path html = dir.resolve("runbook.html");
        Path pdf = tmp.resolve("runbook.pdf");
        demo.run("report", "runbook", demo.stack(), "--format", "md", "--out", md.toString()).ok();
        demo.run("report", "runbook", demo.stack(), "--format", "html", "--out", html.toString()).ok();
        demo.run("report", "runbook", demo.stack(), "--format", "pdf", "--out", pdf.toString()).ok();
        assertEquals(1, demo.run("report", "runbook", demo.stack(), "--format", "pdf").code(), "a PDF needs --out");

        String text = Files.readString(md);
        String point = demo.run("points", demo.stack()).ok().out().lines().filter(l -> !l.contains(" safety "))
                .reduce((a, b) -> b).orElseThrow().split("\\s+")[0];
        List<String> headings = text.lines().filter(l -> l.startsWith("## ")).map(l -> l.substring(3)).toList();
        assertEquals(List.of("What is backed up, and where", "Recovery times: targets against the latest drills",
                "Scenario: database corruption", "Scenario: complete failure of local", "Scenario: accidental deletion of files",
                "Scenario: Redis data lost", "Scenario: this workstation is gone (recover Lifeboat itself)", "The last drill",
                "Contacts"), headings);
        // this stack's own names and commands, from the newest point's manifest
        assertTrue(text.contains("| postgres:" + demo.name() + "-db | postgres |"), text);
        assertTrue(text.contains("lifeboat restore " + point + " --only postgres:" + demo.name() + "-db --dry-run"), text);
        assertTrue(text.contains("lifeboat restore " + point + " --only volume:" + demo.name() + "_uploads"), text);
        assertTrue(text.contains("lifeboat restore " + point + " --only redis"), text);
        assertTrue(text.contains("| complete-failure |") && text.contains("passed"), text);
        // where the key lives, never the key
        String keyFile = text.replaceAll("(?s).*\\| the file ([^ |]+) \\|.*", "$1");
        assertTrue(Files.isRegularFile(Path.of(keyFile)), keyFile);
        String key = Files.readString(Path.of(keyFile)).trim();

        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", false);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        Document doc = f.newDocumentBuilder().parse(html.toFile());
        NodeList h2 = doc.getElementsByTagName("h2");
        List<String> htmlHeadings = new ArrayList<>();
        for (int i = 0; i < h2.getLength(); i++) {
            htmlHeadings.add(h2.item(i).getTextContent());
        }
        assertEquals(headings, htmlHeadings);
        NodeList commands = doc.getElementsByTagName("pre");
        assertTrue(commands.getLength() >= 10, "commands: " + commands.getLength());
        for (int i = 0; i < commands.getLength(); i++) {
            String c = commands.item(i).getTextContent();
            assertTrue(c.startsWith("lifeboat ") || c.startsWith("tar "), c);
        }

        Process p = new ProcessBuilder("pdftotext", "-layout", pdf.toString(), "-").redirectErrorStream(true).start();
        String pdfText = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), pdfText);
        int pages = pdfText.split("\f", -1).length - 1;
        assertTrue(pages >= 2 && pages <= 12, "pages: " + pages);
        assertTrue(pdfText.contains("DR runbook: " + demo.stack()) && pdfText.contains("Scenario: Redis data lost")
                && pdfText.contains("--only redis"), pdfText);
        for (String out : List.of(text, Files.readString(html), pdfText)) {
            assertTrue(!out.contains(key), "the key itself is never in the runbook");
        }

        // and the fleet's table: this stack's drilled scenarios against their targets
        String fleet = demo.run("report", "recovery-times").ok().out();
        assertTrue(fleet.lines().anyMatch(l -> l.startsWith("| " + demo.stack() + " | complete-failure | 1h | ")
                && l.contains("(met)")), fleet);
        assertTrue(fleet.contains("within target"), fleet);
    }
}
