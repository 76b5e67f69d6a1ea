package dev.lifeboat.it;

import dev.lifeboat.ui.Shots;
import dev.lifeboat.AppContext;
import dev.lifeboat.ui.common.Theme;
import dev.lifeboat.ui.restorewizard.RestoreWizard;
import dev.lifeboat.ui.shell.MainWindow;
import javafx.scene.control.Button;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console on the real rig (headless): the dashboard, timeline and activity of a demo stack with
 * real backups, a restore test and a drill; the restore wizard driven end to end on a production host,
 * refusing near-miss phrases and restoring with the exact one. Writes docs/screenshots/*.png.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(ApplicationExtension.class)
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class ConsoleIT {
    private static final List<String> DATABASES = List.of("postgres", "shop", "analytics");
    @TempDir
    static Path tmp;
    private static Rig.DemoHome demo;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private MainWindow window;
    private Stage stage;
    private AppContext app;

    @BeforeAll
    static void demoStack() {
        demo = Rig.demoHome(tmp, Rig.uniqueName("ui"), true);
        String first = demo.run("backup", demo.stack(), "--to", "disk", "-q").ok().out().trim();
        demo.run("verify", first).ok();
        demo.run("stack", "set", demo.stack(), "--rpo", "6h").ok();
        demo.run("verify", first, "--restore-test").ok();
        // the timeline's drill marker: a drill recorded by hand (the drill wizard below runs a real one)
        demo.run("drill", "record", demo.stack(), "--scenario", "complete-failure", "--phase", "restore=4m", "--phase", "verify=1m",
                "--result", "pass", "--rpo", "6h", "--at", java.time.Instant.now().minusSeconds(60).toString()).ok();
        demo.run("backup", demo.stack(), "--to", "disk", "-q").ok();
    }

    @AfterAll
    void removeDemoStack() throws Exception {
        Screens.stopConsole(window, executor, app);
        Rig.removeByLabel(demo.name());
    }

    @Start
    void start(Stage stage) {
        this.stage = stage;
        window = Screens.mainWindow(stage, executor);
    }

    private static void await(BooleanSupplier condition) throws Exception {
        Screens.await(condition);
    }

    private void shot(FxRobot robot, Stage s, String name) throws Exception {
        Shots.shot(robot, s, name);
    }

    @Test
    @org.junit.jupiter.api.Order(1)
    void theConsoleShowsTheStackAndTheRestoreWizardRestoresOnlyWithTheExactPhrase(FxRobot robot) throws Exception {
        app = new AppContext(demo.home());
        robot.interact(() -> {
            window.showStack("local", demo.name());
            window.attach(app, stage);
        });
        await(() -> robot.lookup("#dashboard-title").tryQuery().isPresent()
                && robot.lookup("#size-chart").tryQuery().isPresent());
        await(() -> robot.lookup("#jobs").queryListView().getItems().isEmpty());
        shot(robot, stage, "dashboard-light");
        // the dashboard's next action: the newest point is not verified yet, and "Verify now" proves it
        String unverified = robot.lookup("#health-reason").queryAs(javafx.scene.control.Label.class).getText();
        assertTrue(unverified.contains("not verified"), unverified);
        assertTrue(robot.lookup("#dashboard-test-restore").tryQuery().isPresent());
        robot.interact(() -> robot.lookup("#dashboard-verify").queryButton().fire());
        await(() -> robot.lookup("#health-reason").tryQuery().map(n -> !((javafx.scene.control.Label) n).getText()
                .contains("not verified")).orElse(false) && robot.lookup("#jobs").queryListView().getItems().isEmpty());
        var told = robot.lookup(n -> n instanceof javafx.scene.control.Label l && l.getText() != null
                && l.getText().startsWith("Verified: ")).queryAs(javafx.scene.control.Label.class);
        robot.interact(() -> ((Stage) told.getScene().getWindow()).close());
        robot.interact(() -> window.showTab("Timeline"));
        // the two points are minutes apart: in view, drawn as one cluster of two until zoomed in
        await(() -> window.timeline().model().visiblePoints().size() == 2);
        assertEquals(1, robot.lookup(".timeline-marker").queryAll().size(), "the drill");
        robot.interact(() -> window.timeline().zoomProperty().set(dev.lifeboat.ui.timeline.TimelineView.Zoom.DAY));
        await(() -> window.timeline().model().visiblePoints().size() == 2 && robot.lookup(".timeline-point").tryQuery().isPresent());
        shot(robot, stage, "timeline-light");
        robot.interact(() -> window.showTab("Activity"));
        shot(robot, stage, "activity-light");
        robot.interact(() -> Theme.apply(true));
        robot.interact(() -> window.showTab("Dashboard"));
        shot(robot, stage, "dashboard-dark");
        robot.interact(() -> window.showTab("Timeline"));
        shot(robot, stage, "timeline-dark");
        robot.interact(() -> {
            Theme.apply(false);
            window.showTab("Dashboard");
        });

        Map<String, String> atBackup = StackFingerprint.postgres(demo.pgPort(), DATABASES);
        try (var c = java.sql.DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + demo.pgPort() + "/shop", "postgres", "")) {
            c.createStatement().execute("DELETE FROM documents");
        }
        RestoreWizard[] opened = new RestoreWizard[1];
        robot.interact(() -> opened[0] = window.openRestoreWizard());
        RestoreWizard wizard = opened[0];
        Stage w = wizard.stage();
        String[] names = {"stack", "point", "scope", "target", "validation", "plan", "preview"};
        for (int step = 0; step < 7; step++) {
            int s = step;
            await(() -> wizard.step() == s && !robot.from(w.getScene().getRoot()).lookup("#wizard-next").queryButton().isDisabled());
            if (s == 2) { // a restore of parts: the point's parts as a tree to tick, read from its manifest
                robot.interact(() -> robot.from(w.getScene().getRoot()).lookup("#scope-parts").queryAs(javafx.scene.control.RadioButton.class)
                        .fire());
                @SuppressWarnings("unchecked")
                var tree = (org.controlsfx.control.CheckTreeView<String>) robot.from(w.getScene().getRoot()).lookup("#scope-parts-tree")
                        .query();
                java.util.function.Supplier<List<javafx.scene.control.TreeItem<String>>> leaves = () -> tree.getRoot() == null ? List.of()
                        : tree.getRoot().getChildren().stream().flatMap(k -> k.getChildren().stream()).toList();
                await(() -> leaves.get().size() >= 5);
                List<String> parts = leaves.get().stream().map(javafx.scene.control.TreeItem::getValue).toList();
                assertTrue(parts.containsAll(List.of("postgres:shop", "postgres:analytics", "redis", "config"))
                        && parts.stream().anyMatch(x -> x.startsWith("volume:")), parts.toString());
                assertTrue(robot.from(w.getScene().getRoot()).lookup("#wizard-next").queryButton().isDisabled(), "nothing ticked yet");
                robot.interact(() -> leaves.get().stream().filter(l -> l.getValue().equals("postgres:shop")).forEach(l -> tree.getCheckModel()
                        .check(l)));
                assertFalse(robot.from(w.getScene().getRoot()).lookup("#wizard-next").queryButton().isDisabled(), "one part ticked");
                Shots.shotLightAndDark(robot, w, "restore-wizard-3-scope-parts");
                robot.interact(() -> robot.from(w.getScene().getRoot()).lookup("#scope-everything")
                        .queryAs(javafx.scene.control.RadioButton.class).fire());
            }
            if (s == 6) { // its own step: what changes against the live stack, read without changing it
                await(() -> robot.from(w.getScene().getRoot()).lookup("#restore-preview-state").tryQuery()
                        .map(n -> ((javafx.scene.control.Label) n).getText().startsWith("Overwrites")).orElse(false));
                @SuppressWarnings("unchecked")
                var tables = (javafx.scene.control.TableView<List<String>>) robot.from(w.getScene().getRoot())
                        .lookup("#preview-postgres-postgres_" + demo.name() + "-db").query();
                assertTrue(tables.getItems().stream().anyMatch(r -> r.get(0).equals("shop.public.documents") && r.get(1).equals("0")
                        && r.get(2).equals("500") && r.get(3).equals("changes")), tables.getItems().toString());
            }
            Shots.shotLightAndDark(robot, w, "restore-wizard-" + (step + 1) + "-" + names[step]);
            robot.interact(() -> robot.from(w.getScene().getRoot()).lookup("#wizard-next").queryButton().fire());
        }
        await(() -> wizard.step() == 7);
        String summary = robot.from(w.getScene().getRoot()).lookup("#confirm-summary").queryAs(javafx.scene.control.Label.class)
                .getText();
        assertTrue(summary.startsWith("Overwrites 3 databases, 1 volume and 1 config directory: 1 table and ") && summary.contains("kept on the host"),
                summary);
        TextField phrase = robot.from(w.getScene().getRoot()).lookup("#confirm-phrase").queryAs(TextField.class);
        Button restore = robot.from(w.getScene().getRoot()).lookup("#wizard-restore").queryButton();
        for (String nearMiss : List.of("restore production", "RESTORE PRODUCTION ", " RESTORE PRODUCTION", "RESTORE  PRODUCTION")) {
            robot.interact(() -> phrase.setText(nearMiss));
            assertTrue(restore.isDisabled(), "'" + nearMiss + "' must not enable Restore");
        }
        robot.interact(() -> phrase.setText("RESTORE PRODUCTION"));
        assertFalse(restore.isDisabled());
        Shots.shotLightAndDark(robot, w, "restore-wizard-8-confirmation");
        robot.interact(restore::fire);
        await(() -> wizard.step() == 8);
        Shots.shotLightAndDark(robot, w, "restore-wizard-9-progress");
        await(() -> wizard.step() == 9);
        String result = robot.from(w.getScene().getRoot()).lookup("#result").queryAs(TextArea.class).getText();
        assertTrue(result.startsWith("Restored "), result);
        Shots.shotLightAndDark(robot, w, "restore-wizard-10-result");
        assertEquals(atBackup, StackFingerprint.postgres(demo.pgPort(), DATABASES), "the deleted documents are back");
        robot.interact(() -> robot.from(w.getScene().getRoot()).lookup("#result-audit").queryAs(javafx.scene.control.Hyperlink.class)
                .fire());
        await(() -> !w.isShowing());
        await(() -> robot.lookup("#activity").queryTableView().getItems().stream()
                .map(r -> (dev.lifeboat.core.history.RunRecord) r)
                .anyMatch(r -> r.kind().equals("restore") && r.status().equals("audit")));
        var shown = robot.lookup("#activity").queryTableView().getItems().stream()
                .map(r -> (dev.lifeboat.core.history.RunRecord) r).toList();
        assertTrue(shown.stream().anyMatch(r -> r.kind().equals("restore") && r.status().equals("ok")), shown.toString());
        assertTrue(shown.stream().allMatch(r -> (r.pointId() + " " + r.message()).contains(wizard.pointId())), shown.toString());
    }

    private long committedPoints() throws Exception {
        Path dir = demo.dest().resolve(demo.host()).resolve(demo.name());
        try (var list = Files.list(dir)) {
            return list.filter(p -> Files.exists(p.resolve("manifest.json"))).count();
        }
    }

    @Test
    @org.junit.jupiter.api.Order(3)
    void aLongBackupLeavesTheWindowResponsiveAndCancelLeavesNoPoint(FxRobot robot) throws Exception {
        if (app == null) {
            app = new AppContext(demo.home());
        }
        Rig.docker("run", "--rm", "--network", "none", "--label", "lifeboat.demo=" + demo.name(), "-v",
                demo.name() + "_uploads:/v", Rig.IMAGE, "sh", "-c", "head -c 500000000 /dev/urandom > /v/big.bin");
        long before = committedPoints();
        robot.interact(() -> {
            window.showStack("local", demo.name());
            window.attach(app, stage);
        });
        await(() -> robot.lookup("#dashboard-title").tryQuery().isPresent());
        await(() -> robot.lookup("#jobs").queryListView().getItems().isEmpty());
        robot.interact(() -> robot.lookup("#backup-now").queryButton().fire());
        await(() -> window.jobs().running().stream().anyMatch(j -> j.phaseProperty().get().contains("volume")));

        for (int i = 0; i < 6; i++) {
            String tab = i % 2 == 0 ? "Timeline" : "Dashboard";
            long t = System.nanoTime();
            robot.interact(() -> window.showTab(tab));
            long ms = (System.nanoTime() - t) / 1_000_000;
            assertTrue(ms < 1000, "the FX thread answered in " + ms + " ms while the backup ran");
            Thread.sleep(150);
        }
        assertTrue(robot.lookup(".job-cancel").queryAll().size() >= 1, "the jobs panel shows the backup with Cancel");
        assertTrue(robot.lookup(".job-elapsed").queryAll().stream().anyMatch(n -> ((javafx.scene.control.Label) n).getText()
                .matches("\\d+ s of about \\d+ s")), "the estimate comes from the stack's earlier backups");
        robot.interact(() -> robot.lookup(".job-cancel").queryButton().fire());
        await(() -> window.jobs().running().isEmpty());
        assertEquals(before, committedPoints(), "a cancelled backup leaves no point");
        String history = demo.run("history").ok().out();
        assertTrue(history.lines().anyMatch(l -> l.contains("backup") && l.contains("cancelled")), history);
        assertTrue(Rig.docker("inspect", "-f", "{{.State.Running}}", demo.name() + "-app").trim().equals("true"),
                "the app container stopped for the volume step runs again");
        assertTrue(demo.run("points", demo.stack()).ok().out().lines().count() >= 1);
    }

    @Test
    @org.junit.jupiter.api.Order(2)
    void theDrillWizardRunsADrillWithLivePhasesAndKeepsItsNotes(FxRobot robot) throws Exception {
        if (app == null) {
            app = new AppContext(demo.home());
        }
        robot.interact(() -> {
            window.showStack("local", demo.name());
            window.attach(app, stage);
        });
        await(() -> robot.lookup("#dashboard-title").tryQuery().isPresent());
        dev.lifeboat.ui.drillwizard.DrillWizard[] opened = new dev.lifeboat.ui.drillwizard.DrillWizard[1];
        robot.interact(() -> opened[0] = window.openDrillWizard());
        var wizard = opened[0];
        Stage w = wizard.stage();
        java.util.function.Function<String, Button> button = id -> robot.from(w.getScene().getRoot()).lookup(id).queryButton();
        Shots.shotLightAndDark(robot, w, "drill-wizard-1-scenario");
        robot.interact(() -> button.apply("#wizard-next").fire());
        await(() -> wizard.step() == 1);
        robot.interact(() -> robot.from(w.getScene().getRoot()).lookup("#drill-in-place").queryAs(javafx.scene.control.RadioButton.class).fire());
        assertTrue(button.apply("#drill-run").isDisabled(), "in place needs the phrase");
        robot.interact(() -> robot.from(w.getScene().getRoot()).lookup("#drill-phrase").queryAs(TextField.class).setText("restore production"));
        assertTrue(button.apply("#drill-run").isDisabled());
        robot.interact(() -> robot.from(w.getScene().getRoot()).lookup("#drill-sandbox").queryAs(javafx.scene.control.RadioButton.class).fire());
        assertFalse(button.apply("#drill-run").isDisabled());
        Shots.shotLightAndDark(robot, w, "drill-wizard-2-target");
        robot.interact(() -> button.apply("#drill-run").fire());
        await(() -> wizard.step() == 2 && !robot.from(w.getScene().getRoot()).lookup("#drill-phases").queryListView().getItems().isEmpty());
        Shots.shotLightAndDark(robot, w, "drill-wizard-3-run");
        await(() -> wizard.step() == 3);
        String verdict = robot.from(w.getScene().getRoot()).lookup("#drill-verdict").queryAs(javafx.scene.control.Label.class).getText();
        assertTrue(verdict.startsWith("Passed: "), verdict);
        assertTrue(robot.from(w.getScene().getRoot()).lookup("#drill-rto").queryAs(javafx.scene.control.Label.class).getText()
                .contains("(met)"));
        assertFalse(robot.from(w.getScene().getRoot()).lookup(".drill-phase-bar").queryAll().isEmpty(), "the phase waterfall");
        assertFalse(robot.from(w.getScene().getRoot()).lookup("#drill-checks").queryTableView().getItems().isEmpty());
        Shots.shotLightAndDark(robot, w, "drill-wizard-4-result");
        robot.interact(() -> button.apply("#wizard-next").fire());
        await(() -> wizard.step() == 4);
        robot.interact(() -> robot.from(w.getScene().getRoot()).lookup("#drill-notes").queryAs(TextArea.class)
                .setText("Runbook lacked the Redis password step; fixed."));
        Shots.shotLightAndDark(robot, w, "drill-wizard-5-notes");
        Path report = tmp.resolve("drills.html");
        String[] said = {""};
        robot.interact(() -> wizard.exportTo(report, m -> said[0] = m));
        await(() -> !said[0].isEmpty());
        assertTrue(said[0].startsWith("Saved; report written to"), said[0]);
        assertTrue(Files.readString(report).contains("Runbook lacked the Redis password step"), "the notes are in the report");
        robot.interact(() -> button.apply("#drill-save").fire());
        await(() -> !w.isShowing());
        var drills = app.history().proof().drills("local", demo.name());
        assertEquals("Runbook lacked the Redis password step; fixed.", drills.get(0).notes());
    }
}
