package dev.lifeboat.ui.shell;

import dev.lifeboat.AppContext;
import dev.lifeboat.core.fleet.FleetOverview;
import dev.lifeboat.core.history.DestinationRecord;
import dev.lifeboat.core.model.Host;
import dev.lifeboat.core.model.RecoveryPoint;
import dev.lifeboat.core.model.StackSettings;
import dev.lifeboat.ui.Shots;
import dev.lifeboat.ui.common.Forms;
import dev.lifeboat.ui.common.Theme;
import dev.lifeboat.ui.timeline.TimelineView;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The main window, headless (Monocle), on histories written through the core's own store. */
@ExtendWith(ApplicationExtension.class)
class MainWindowTest {
    @TempDir
    Path home;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private MainWindow window;
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        Theme.apply(false);
        window = new MainWindow(executor);
        stage.setScene(new Scene(window.root(), 1100, 720));
        stage.show();
    }

    @AfterEach
    void stop() throws InterruptedException {
        executor.shutdownNow();
        // nothing of this test may still touch its home when the home is deleted
        if (!executor.awaitTermination(1, TimeUnit.MINUTES)) {
            throw new AssertionError("The console's background work did not end within a minute");
        }
    }

    private static void await(java.util.function.BooleanSupplier condition) throws Exception {
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> {
            WaitForAsyncUtils.waitForFxEvents();
            return condition.getAsBoolean();
        });
    }

    @Test
    void withNoHostTheWindowExplainsTheFirstStep(FxRobot robot) throws Exception {
        try (AppContext app = new AppContext(home)) {
            robot.interact(() -> window.attach(app, stage));
            await(() -> robot.lookup("#empty-state").tryQuery().isPresent());
            assertTrue(robot.lookup("#use-local-docker").tryQuery().isPresent());
            assertTrue(robot.lookup("#status").queryAs(Label.class).getText().startsWith("0 hosts"));
        }
    }

    @Test
    void withNoStackChosenTheRestoreWizardAsksForOneFirst(FxRobot robot) throws Exception {
        try (AppContext app = new AppContext(home)) {
            app.history().hosts().add(new Host("db1", "unix:///nonexistent/docker.sock", false));
            app.history().destinations().add(new DestinationRecord("nas", "local", home.resolve("nowhere").toString(), "/k", "abc"));
            Instant at = Instant.now().minus(Duration.ofHours(2));
            app.history().points().record(new RecoveryPoint("p1", "db1", "shop", "nas", at, "db1/shop/p1", 1 << 20, "backup"), "0".repeat(64));
            app.history().points().record(new RecoveryPoint("p2", "db1", "shop", "nas", at.plusSeconds(60), "db1/shop/p2", 1 << 20,
                    "backup"), "0".repeat(64));
            app.history().points().record(new RecoveryPoint("q1", "db1", "wiki", "nas", at, "db1/wiki/q1", 1 << 20, "backup"), "0".repeat(64));
            dev.lifeboat.ui.restorewizard.RestoreWizard[] opened = new dev.lifeboat.ui.restorewizard.RestoreWizard[1];
            robot.interact(() -> {
                opened[0] = new dev.lifeboat.ui.restorewizard.RestoreWizard(stage, app, window.jobs(), null, null);
                opened[0].stage().show();
            });
            var w = opened[0];
            var root = w.stage().getScene().getRoot();
            assertEquals(0, w.step());
            assertTrue(robot.from(root).lookup("#wizard-next").queryButton().isDisabled(), "no stack chosen yet");
            javafx.scene.control.ListView<?> stacks = robot.from(root).lookup("#stacks").queryListView();
            await(() -> stacks.getItems().size() == 2); // read on a worker, never on the FX thread
            assertEquals(List.of("db1/shop", "db1/wiki"), List.copyOf(stacks.getItems()));
            robot.interact(() -> stacks.getSelectionModel().select(1));
            assertTrue(!robot.from(root).lookup("#wizard-next").queryButton().isDisabled());
            robot.interact(() -> robot.from(root).lookup("#wizard-next").queryButton().fire());
            assertEquals(1, w.step());
            await(() -> "q1".equals(w.pointId()));
            assertEquals(List.of("q1"), robot.from(w.stage().getScene().getRoot()).lookup("#points").queryTableView().getItems()
                    .stream().map(p -> ((RecoveryPoint) p).id()).toList());
            assertEquals("q1", w.pointId());
            robot.interact(() -> robot.from(w.stage().getScene().getRoot()).lookup("#wizard-back").queryButton().fire());
            robot.interact(() -> robot.from(w.stage().getScene().getRoot()).lookup("#stacks").queryListView().getSelectionModel()
                    .select(0));
            await(() -> "p2".equals(w.pointId())); // the newest point of the other stack
            robot.interact(() -> robot.from(w.stage().getScene().getRoot()).lookup("#wizard-next").queryButton().fire());
            assertEquals("p2", w.pointId(), "the newest point of the other stack");
            robot.interact(() -> w.stage().close());
        }
    }

    @Test
    void theRestoreWizardsPointTableShowsHowEachPointWasProvenAndWhereItIsHeldAndRecommendsTheNewestProvenOne(FxRobot robot)
            throws Exception {
        try (AppContext app = new AppContext(home)) {
            app.history().hosts().add(new Host("db1", "unix:///nonexistent/docker.sock", false));
            app.history().destinations().add(new DestinationRecord("nas", "local", home.resolve("nowhere").toString(), "/k", "abc"));
            app.history().destinations().add(new DestinationRecord("vault", "local", home.resolve("vault").toString(), "/k", "abc"));
            Instant at = Instant.now().minus(Duration.ofDays(3));
            for (int i = 1; i <= 3; i++) {
                app.history().points().record(new RecoveryPoint("a" + i, "db1", "shop", "nas", at.plus(Duration.ofDays(i - 1)),
                        "db1/shop/a" + i, 1L << (20 + i), "backup"), "0".repeat(64));
            }
            app.history().points().record(new RecoveryPoint("a2", "db1", "shop", "vault", at.plus(Duration.ofDays(1)), "db1/shop/a2",
                    1L << 22, "copy"), "0".repeat(64));
            String tested = app.history().runs().start("restore-test", "db1", "shop", "a1", "nas", "t");
            app.history().runs().finish(tested, "ok", "all checks passed", "a1", List.of());
            String verified = app.history().runs().start("verify", null, null, "a2", null, "t");
            app.history().runs().finish(verified, "ok", "all checks passed", null, List.of());
            var w = openRestoreWizard(robot, app, "db1", "shop");
            var root = w.stage().getScene().getRoot();
            await(() -> "a2".equals(w.pointId()));
            robot.interact(() -> robot.from(root).lookup("#wizard-next").queryButton().fire());
            javafx.scene.control.TableView<?> table = robot.from(root).lookup("#points").queryTableView();
            assertEquals(List.of("a3", "a2", "a1"), table.getItems().stream().map(p -> ((RecoveryPoint) p).id()).toList(), "newest first");
            assertEquals("Recommended: a2, the newest point that was verified.",
                    robot.from(root).lookup("#points-recommended").queryAs(Label.class).getText());
            java.util.function.BiFunction<Integer, String, String> cell = (row, column) -> table.getColumns().stream()
                    .filter(c -> c.getText().equals(column)).findFirst().map(c -> {
                        Object v = c.getCellData(row);
                        return v == null ? null : v.toString();
                    }).orElseThrow();
            assertEquals("✓ yes", cell.apply(1, "Verified"));
            assertEquals("no", cell.apply(1, "Restore-tested"));
            assertEquals("✓ yes", cell.apply(2, "Restore-tested"));
            assertEquals("nas, vault", cell.apply(1, "Held at"), "the primary and its copy");
            assertTrue(cell.apply(1, "Taken (UTC)").startsWith("★ "), "the recommended point is marked");

            // the stack's timeline above the table: a point clicked there is chosen in the table, and the other way round
            var timeline = robot.from(root).lookup("#points-timeline").query();
            java.util.function.Function<String, java.util.Optional<javafx.scene.shape.Circle>> dot = id -> robot.from(timeline)
                    .lookup(".timeline-point").queryAllAs(javafx.scene.shape.Circle.class).stream()
                    .filter(c -> c.getUserData() instanceof dev.lifeboat.core.status.TimelineEntry e && e.id().equals(id))
                    .min(java.util.Comparator.comparingDouble(javafx.scene.shape.Circle::getCenterY)); // the primary's lane
            await(() -> dot.apply("a1").isPresent() && dot.apply("a3").isPresent());
            java.util.function.Supplier<Double> ringX = () -> robot.from(timeline).lookup(".timeline-selected")
                    .queryAllAs(javafx.scene.shape.Circle.class).stream().findFirst().map(javafx.scene.shape.Circle::getCenterX)
                    .orElse(Double.NaN);
            assertEquals(dot.apply("a2").orElseThrow().getCenterX(), ringX.get(), 0.5, "the recommended point is selected there too");
            robot.clickOn(dot.apply("a1").orElseThrow());
            await(() -> "a1".equals(w.pointId()));
            assertEquals("a1", ((RecoveryPoint) table.getSelectionModel().getSelectedItem()).id());
            robot.interact(() -> table.getSelectionModel().select(0));
            await(() -> "a3".equals(w.pointId()));
            assertEquals(dot.apply("a3").orElseThrow().getCenterX(), ringX.get(), 0.5, "chosen in the table, ringed on the timeline");
            robot.interact(() -> w.stage().close());
        }
    }

    @Test
    void aStackThatShipsItsWalIsRestoredToAMomentOnTheSliderButNeverToOneInsideAGap(FxRobot robot) throws Exception {
        try (AppContext app = new AppContext(home)) {
            Instant t0 = Instant.now().minus(Duration.ofHours(3)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            app.history().hosts().add(new Host("db1", "unix:///nonexistent/docker.sock", true));
            app.history().destinations().add(new DestinationRecord("nas", "local", home.resolve("nowhere").toString(), "/k", "abc"));
            String asset = "postgres:shop-db";
            app.history().pitr().enable(new dev.lifeboat.core.history.PitrConfig("db1", "shop", asset, "nas", "lifeboat_shop_db", 30,
                    120, t0, "me"));
            for (String[] base : new String[][] {{"p1", "1", "60"}, {"p2", "7", "420"}}) {
                app.history().points().record(new RecoveryPoint(base[0], "db1", "shop", "nas", t0.plusSeconds(Long.parseLong(base[2]) - 30),
                        "db1/shop/" + base[0], 1 << 20, "backup"), "0".repeat(64));
                app.history().pitr().recordBase("db1", "shop", new dev.lifeboat.core.history.PitrRepository.Base(base[0], asset,
                        dev.lifeboat.core.history.WalFile.segmentAt("000000010000000000000000", Long.parseLong(base[1])),
                        t0.plusSeconds(Long.parseLong(base[2]))));
            }
            for (int i = 1; i <= 9; i++) {
                if (i != 6) { // segment 6 never reached the destination: a gap from minute 5 to the second base backup
                    app.history().pitr().shipped(new dev.lifeboat.core.history.WalFile("db1", "shop", asset, "nas",
                            dev.lifeboat.core.history.WalFile.segmentAt("000000010000000000000000", i), 16 << 20, 1 << 20, "p", "s",
                            t0.plusSeconds(60L * i)));
                }
            }
            var w = openRestoreWizard(robot, app, "db1", "shop");
            var root = w.stage().getScene().getRoot();
            await(() -> "p2".equals(w.pointId()));
            robot.interact(() -> robot.from(root).lookup("#wizard-next").queryButton().fire());
            robot.interact(() -> robot.from(root).lookup("#wizard-next").queryButton().fire());
            assertEquals(2, w.step());
            javafx.scene.control.RadioButton moment = robot.from(root).lookup("#scope-moment").queryAs(javafx.scene.control.RadioButton.class);
            assertTrue(!moment.isDisabled(), "the stack ships its WAL");
            robot.interact(moment::fire);
            String reach = robot.from(root).lookup("#moment-reach").queryAs(Label.class).getText();
            java.time.format.DateTimeFormatter f = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
                    .withZone(java.time.ZoneOffset.UTC);
            assertTrue(reach.contains("Restorable from " + f.format(t0.plusSeconds(60)) + " to " + f.format(t0.plusSeconds(540))
                    + " UTC (the newest restorable moment)") && reach.contains("WAL segment 000000010000000000000006 is missing"), reach);
            var next = robot.from(root).lookup("#wizard-next").queryButton();
            assertTrue(!next.isDisabled(), "the newest restorable moment is chosen");
            javafx.scene.control.Slider slider = robot.from(root).lookup("#moment-slider").queryAs(javafx.scene.control.Slider.class);
            robot.interact(() -> slider.setValue(t0.plusSeconds(360).toEpochMilli()));
            assertTrue(next.isDisabled(), "inside the gap");
            assertTrue(!robot.from(root).lookup("#moment-outside").queryAs(Label.class).getText().isEmpty());
            robot.interact(() -> slider.setValue(t0.plusSeconds(200).toEpochMilli()));
            assertTrue(!next.isDisabled());
            assertEquals(f.format(t0.plusSeconds(200)), robot.from(root).lookup("#moment").queryAs(javafx.scene.control.TextField.class)
                    .getText());
            shot(robot, w.stage(), "restore-wizard-moment");
            robot.interact(() -> next.fire());
            assertEquals(3, w.step());
            assertTrue(robot.from(root).lookup("#target-sandbox").queryAs(javafx.scene.control.RadioButton.class) != null);
            robot.interact(() -> robot.from(root).lookup("#target-sandbox").queryAs(javafx.scene.control.RadioButton.class).fire());
            assertTrue(robot.from(root).lookup("#wizard-next").queryButton().isDisabled(), "a restore to a moment goes in place only");
            robot.interact(() -> w.stage().close());
        }
    }

    /**
     * A history as slow as a far team server (every statement 40 ms): the main window and every window
     * it opens read it on workers only. Any statement run on the FX thread is recorded, and there must
     * be none; the windows fill in once the reads come back.
     */
    @Test
    void theConsoleNeverReadsTheHistoryOnTheFxThreadEvenWhenItIsSlow(FxRobot robot) throws Exception {
        try (AppContext app = new AppContext(home)) {
            app.history().hosts().add(new Host("db1", "unix:///nonexistent/docker.sock", false));
            app.history().destinations().add(new DestinationRecord("nas", "local", home.resolve("nowhere").toString(), "/k", "abc"));
            app.history().points().record(new RecoveryPoint("p1", "db1", "shop", "nas", Instant.now().minus(Duration.ofHours(1)),
                    "db1/shop/p1", 1 << 20, "backup"), "0".repeat(64));
            List<String> onFxThread = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
            app.history().beforeEachStatement(sql -> {
                if (javafx.application.Platform.isFxApplicationThread()) {
                    onFxThread.add(sql + " from " + java.util.Arrays.stream(Thread.currentThread().getStackTrace())
                            .filter(f -> f.getClassName().startsWith("dev.lifeboat.ui"))
                            .map(f -> f.getClassName() + "." + f.getMethodName() + ":" + f.getLineNumber()).findFirst().orElse("?"));
                    return;
                }
                try {
                    Thread.sleep(40); // the simulated latency of a far history server, not a wait for anything
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            robot.interact(() -> {
                window.attach(app, stage);
                window.showStack("db1", "shop");
                window.checkDocker();
            });
            Object[] opened = new Object[4];
            robot.interact(() -> {
                opened[0] = window.openRestoreWizard();
                opened[1] = window.openPlanWizard();
                opened[2] = window.openHostWizard();
                opened[3] = window.openManualDrill();
            });
            var restore = (dev.lifeboat.ui.restorewizard.RestoreWizard) opened[0];
            await(() -> "p1".equals(restore.pointId()));
            var root = restore.stage().getScene().getRoot();
            await(() -> robot.from(root).lookup("#stacks").queryListView().getItems().contains("db1/shop"));
            await(() -> window.jobs().running().isEmpty());
            assertEquals(List.of(), List.copyOf(onFxThread), "history statements run on the FX thread");
            robot.interact(() -> {
                restore.stage().close();
                ((dev.lifeboat.ui.planwizard.PlanWizard) opened[1]).frame().stage().close();
                ((dev.lifeboat.ui.hostwizard.HostWizard) opened[2]).frame().stage().close();
                ((dev.lifeboat.ui.drillwizard.ManualDrillForm) opened[3]).frame().stage().close();
            });
            app.history().beforeEachStatement(null);
        }
    }

    @Test
    void theHostWizardsFieldsSayWhatIsWrongWithThemWhileNextStaysOff(FxRobot robot) throws Exception {
        try (AppContext app = new AppContext(home)) {
            robot.interact(() -> window.attach(app, stage));
            dev.lifeboat.ui.hostwizard.HostWizard[] opened = new dev.lifeboat.ui.hostwizard.HostWizard[1];
            robot.interact(() -> opened[0] = window.openHostWizard());
            var root = opened[0].frame().stage().getScene().getRoot();
            TextField name = robot.from(root).lookup("#host-name").queryAs(TextField.class);
            TextField target = robot.from(root).lookup("#host-target").queryAs(TextField.class);
            javafx.scene.control.Button next = robot.from(root).lookup("#wizard-next").queryButton();
            await(() -> "local".equals(name.getText())); // proposed on a worker: no host is called local yet
            robot.interact(() -> name.setText("db 1; rm -rf /"));
            await(() -> !Forms.problems(name).isEmpty());
            assertTrue(Forms.problems(name).get(0).startsWith("Letters, digits"), Forms.problems(name).toString());
            assertTrue(next.isDisabled());
            robot.interact(() -> name.setText("db1"));
            await(() -> Forms.problems(name).isEmpty());
            assertFalse(next.isDisabled(), "the local engine's socket is filled in");
            robot.interact(() -> {
                robot.from(root).lookup("#host-ssh").queryAs(javafx.scene.control.RadioButton.class).fire();
                target.setText("db1.example.org");
            });
            await(() -> !Forms.problems(target).isEmpty());
            assertTrue(Forms.problems(target).get(0).startsWith("USER@SERVER"), Forms.problems(target).toString());
            assertTrue(next.isDisabled());
            Shots.shot(robot, opened[0].frame().stage(), "host-wizard-1-validation");
            robot.interact(() -> target.setText("root@db1.example.org:2222"));
            await(() -> Forms.problems(target).isEmpty() && !next.isDisabled());
            robot.interact(() -> opened[0].frame().stage().close());
        }
    }

    @Test
    void aJobsEstimateAskedOnTheWorkerShowsOnceItArrives(FxRobot robot) throws Exception {
        java.util.concurrent.CountDownLatch asked = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch finish = new java.util.concurrent.CountDownLatch(1);
        robot.interact(() -> window.jobs().submit("Back up db1/shop", () -> {
            try {
                asked.await(); // the history answers only after the job is on screen
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Duration.ofSeconds(90);
        }, p -> {
            try {
                finish.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        }, r -> { }, e -> { }));
        java.util.function.Supplier<List<String>> shown = () -> robot.lookup(".job-elapsed").queryAll().stream()
                .map(n -> ((Label) n).getText()).toList();
        await(() -> shown.get().contains("0 s"));
        asked.countDown();
        await(() -> shown.get().contains("0 s of about 90 s"));
        finish.countDown();
        await(() -> window.jobs().running().isEmpty());
    }

    @Test
    void anInformationDialogShowsItsWholeMessageNotTheFirstLinesCutOff(FxRobot robot) throws Exception {
        String message = "Backups are encrypted with the new key /root/.lifeboat/keys/default.key.\nStore a copy of it off this"
                + " machine (a password manager or a safe): without it no backup can be restored.";
        robot.interact(() -> new dev.lifeboat.ui.common.DialogService(stage).info("Backups go to /root/.lifeboat/backups", message));
        WaitForAsyncUtils.waitForFxEvents();
        var shown = robot.lookup(n -> n instanceof Label l && message.equals(l.getText())).queryAs(Label.class);
        String displayed = ((javafx.scene.text.Text) shown.lookup(".text")).getText();
        assertEquals(message, displayed, "the label shows every word (nothing elided)");
        robot.interact(() -> ((javafx.stage.Stage) shown.getScene().getWindow()).close());
    }

    @Test
    void theFleetSummaryCountsStacksByHealth() {
        var stacks = List.of(new FleetOverview.StackItem("h", "a", dev.lifeboat.core.status.StackHealth.Level.GREEN),
                new FleetOverview.StackItem("h", "b", dev.lifeboat.core.status.StackHealth.Level.RED),
                new FleetOverview.StackItem("h", "c", dev.lifeboat.core.status.StackHealth.Level.GREEN),
                new FleetOverview.StackItem("h", "d", dev.lifeboat.core.status.StackHealth.Level.NONE));
        assertEquals("Fleet: 4 stacks · 2 healthy · 0 late or unverified · 1 failing or past RPO · 1 never backed up"
                + " · 3 open alerts · 1.5 GiB stored", FleetOverview.line(stacks, 3, 3L << 29));
        // a small fleet's bytes in the unit that says something (not "0.0 GiB" for 400 KiB)
        assertTrue(FleetOverview.line(stacks, 0, 400 * 1024).endsWith(" · 0 open alerts · 400.0 KiB stored"),
                FleetOverview.line(stacks, 0, 400 * 1024));
    }

    @Test
    void theToolbarActionsAnswerTheKeyboard(FxRobot robot) throws Exception {
        try (AppContext app = new AppContext(home)) {
            robot.interact(() -> window.attach(app, stage));
            await(() -> robot.lookup("#empty-state").tryQuery().isPresent());
            robot.clickOn("#empty-state");
            robot.press(javafx.scene.input.KeyCode.CONTROL, javafx.scene.input.KeyCode.H)
                    .release(javafx.scene.input.KeyCode.H, javafx.scene.input.KeyCode.CONTROL);
            await(() -> robot.listTargetWindows().stream().anyMatch(w -> w instanceof Stage s && s.isShowing()
                    && "Add a Docker host".equals(s.getTitle())));
            Stage wizard = (Stage) robot.listTargetWindows().stream().filter(w -> w instanceof Stage s
                    && "Add a Docker host".equals(s.getTitle())).findFirst().orElseThrow();
            assertEquals("Step 1 of 3: Connection", robot.from(wizard.getScene().getRoot()).lookup("#wizard-step")
                    .queryAs(Label.class).getText());
            robot.interact(wizard::close);
        }
    }

    @Test
    void theTimelineShowsEveryPointAndTheGapWhereTheRpoWasExceeded(FxRobot robot) throws Exception {
        Instant now = Instant.now();
        int points = 0;
        try (AppContext app = new AppContext(home)) {
            app.history().hosts().add(new Host("db1", "unix:///nonexistent/docker.sock", true));
            app.history().destinations().add(new DestinationRecord("nas", "local", home.resolve("nowhere").toString(), "/k", "abc"));
            app.history().plans().saveSettings(new StackSettings("db1", "shop", Duration.ofHours(1), Duration.ofHours(24), 0,
                    Map.of(), Map.of(), null, 30));
            for (int day = 20; day >= 0; day--) {
                if (day >= 8 && day <= 10) {
                    continue; // three days without a backup
                }
                Instant at = now.minus(Duration.ofDays(day)).minus(Duration.ofHours(1));
                app.history().points().record(new RecoveryPoint("p" + day, "db1", "shop", "nas", at, "db1/shop/p" + day,
                        (40L + day) << 20, "backup"), "0".repeat(64));
                points++;
            }
            String failed = app.history().runs().start("backup", "db1", "shop", null, "nas", "test");
            app.history().runs().finish(failed, "failed", "pg_dump exited with 1", null, List.of());
            robot.interact(() -> window.attach(app, stage));
            await(() -> robot.lookup("#dashboard-title").tryQuery().isPresent());
            robot.interact(() -> window.showTab("Timeline"));
            int expected = points;
            await(() -> robot.lookup(".timeline-point").queryAll().size() == expected + 1);
            assertEquals(points, robot.lookup(".timeline-point").queryAll().stream()
                    .filter(n -> !n.getStyleClass().contains("FAILED")).count());
            assertEquals(1, robot.lookup(".timeline-point").queryAll().stream()
                    .filter(n -> n.getStyleClass().contains("FAILED")).count());
            assertEquals(1, robot.lookup(".timeline-gap").queryAll().size(), "the three-day hole, and only it");

            robot.interact(() -> window.timeline().zoomProperty().set(TimelineView.Zoom.WEEK));
            await(() -> robot.lookup(".timeline-point").queryAll().size() == 8);
            assertEquals(0, robot.lookup(".timeline-gap").queryAll().size());
        }
    }

    @Test
    void whatARestoreKeptOnTheHostIsOnTheDashboardAndIsReleasedOnlyOnceConfirmed(FxRobot robot) throws Exception {
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        try (AppContext app = new AppContext(home)) {
            app.history().hosts().add(new Host("db1", "unix:///nonexistent/docker.sock", true));
            app.history().destinations().add(new DestinationRecord("nas", "local", home.resolve("nowhere").toString(), "/k", "abc"));
            app.history().points().record(new RecoveryPoint("p1", "db1", "shop", "nas", now.minusSeconds(3600), "db1/shop/p1",
                    40L << 20, "backup"), "0".repeat(64));
            var kept = new dev.lifeboat.core.history.SafetyCopyRepository.Kept("k1", "db1", "shop", "run1", "p1", "postgres",
                    "postgres:shop-db", "shop-db", "lifeboat_safety_run1_0", null,
                    "database shop as it was, in shop-db as lifeboat_safety_run1_0 (closed to connections)", now,
                    now.plus(Duration.ofDays(7)), null, null);
            app.history().safetyCopies().record(kept);
            robot.interact(() -> window.attach(app, stage));
            await(() -> robot.lookup("#kept-card").tryQuery().isPresent());
            shot(robot, stage, "dashboard-kept-on-host");
            robot.interact(() -> robot.lookup("#kept-release").queryButton().fire());
            await(() -> robot.lookup(n -> n instanceof javafx.scene.control.Label l && l.getText() != null
                    && l.getText().contains("lifeboat_safety_run1_0 (closed")).tryQuery().isPresent());
            // cancelled: nothing is released
            robot.interact(() -> robot.lookup(n -> n instanceof javafx.scene.control.Button b && "Cancel".equals(b.getText()))
                    .queryButton().fire());
            WaitForAsyncUtils.waitForFxEvents();
            assertEquals(List.of(kept), app.history().safetyCopies().held("db1", "shop"));
            assertTrue(window.jobs().running().isEmpty(), "no release was started");
        }
    }

    @Test
    void aHomeBroughtBackBySelfRestoreShowsTheSamePointsInTheConsole(FxRobot robot) throws Exception {
        Path old = home.resolve("old");
        Path key = home.resolve("nas.key");
        Path store = home.resolve("nas");
        dev.lifeboat.core.pipeline.RepositoryKey.generate(key);
        try (AppContext app = new AppContext(old)) {
            app.repositories().register(new dev.lifeboat.core.storage.Repositories.Registration("nas", "local", store.toString(),
                    key.toString()), "ada", null);
            app.history().hosts().add(new Host("db1", "unix:///nonexistent/docker.sock", false));
            for (int i = 1; i <= 3; i++) {
                app.history().points().record(new RecoveryPoint("p" + i, "db1", "shop", "nas", Instant.now().minus(Duration.ofDays(i)),
                        "db1/shop/p" + i, 5L << 20, "backup"), "0".repeat(64));
            }
            app.selfBackup("nas", false);
        }
        Path fresh = home.resolve("fresh");
        try (AppContext app = new AppContext(fresh)) {
            app.repositories().register(new dev.lifeboat.core.storage.Repositories.Registration("nas", "local", store.toString(),
                    key.toString()), "bob", null);
            var staged = dev.lifeboat.core.backup.SelfBackup.stage(fresh, app.repositories(), "nas", null, null);
            app.history().close();
            dev.lifeboat.core.backup.SelfBackup.apply(fresh, staged);
        }
        try (AppContext app = new AppContext(fresh)) {
            robot.interact(() -> window.attach(app, stage));
            await(() -> robot.lookup("#dashboard-title").tryQuery().isPresent());
            robot.interact(() -> window.showTab("Timeline"));
            await(() -> window.timeline().model().visiblePoints().equals(List.of("p3", "p2", "p1")));
        }
    }

    @Test
    void aJobThatEndsIsToldInANoticeFinishedOrFailedWithWhy(FxRobot robot) throws Exception {
        try (AppContext app = new AppContext(home)) {
            robot.interact(() -> window.attach(app, stage));
            robot.interact(() -> window.jobs().submit("Back up db1/shop", p -> "ok", r -> { }, e -> { }));
            await(() -> robot.lookup(n -> n instanceof Label l && "Back up db1/shop finished".equals(l.getText()))
                    .tryQuery().isPresent());
            robot.interact(() -> window.jobs().submit("Verify p1", p -> {
                throw new dev.lifeboat.core.LifeboatException("chunk 3 failed its authentication");
            }, r -> { }, e -> { }));
            await(() -> robot.lookup(n -> n instanceof Label l && "Verify p1 failed".equals(l.getText())).tryQuery().isPresent());
            assertTrue(robot.lookup(n -> n instanceof Label l && l.getText() != null
                    && l.getText().endsWith(": chunk 3 failed its authentication")).tryQuery().isPresent(), "and why");
            // what a view loads shows in the view: its end is no notice, finished or failed
            robot.interact(() -> {
                window.jobs().load("Dashboard db1/shop", p -> "ok", r -> { }, e -> { });
                window.jobs().load("Timeline db1/shop", p -> {
                    throw new dev.lifeboat.core.LifeboatException("history busy");
                }, r -> { }, e -> { });
                window.jobs().submit("Back up db1/wiki", p -> "ok", r -> { }, e -> { });
            });
            await(() -> robot.lookup(n -> n instanceof Label l && "Back up db1/wiki finished".equals(l.getText())).tryQuery().isPresent()
                    && window.jobs().running().isEmpty());
            assertTrue(robot.lookup(n -> n instanceof Label l && l.getText() != null && l.getText().startsWith("Dashboard db1/shop")
                    || n instanceof Label m && m.getText() != null && m.getText().startsWith("Timeline db1/shop")).tryQuery().isEmpty(),
                    "no notice of a load");
        }
    }

    @Test
    void anAlertThatOpensWhileTheConsoleRunsIsToldInANoticeButNotTheOnesOpenAtStart(FxRobot robot) throws Exception {
        try (AppContext app = new AppContext(home)) {
            app.history().alerts().raise(new dev.lifeboat.core.model.Finding("old", "backup-failed", "db1", "shop",
                    "Backup failed", "pg_dump: connection refused", false));
            robot.interact(() -> window.attach(app, stage));
            await(() -> window.alerts().shown().size() == 1 && window.jobs().running().isEmpty());
            assertTrue(robot.lookup(n -> n instanceof Label l && "Alert: Backup failed".equals(l.getText())).tryQuery().isEmpty(),
                    "an alert open when the console starts is in the Alerts tab, not a notice");
            app.history().alerts().raise(new dev.lifeboat.core.model.Finding("new", "rpo-breached", "db1", "shop",
                    "RPO breached", "the newest backup is 31 h old (RPO 1d)", true));
            robot.interact(window::reload);
            await(() -> robot.lookup(n -> n instanceof Label l && "Alert: RPO breached".equals(l.getText())).tryQuery().isPresent());
            assertTrue(robot.lookup(n -> n instanceof Label l && "db1/shop: the newest backup is 31 h old (RPO 1d)".equals(l.getText()))
                    .tryQuery().isPresent());
        }
    }

    @Test
    void theDashboardExportsTheStacksRunbookOnABackgroundJob(FxRobot robot) throws Exception {
        try (AppContext app = new AppContext(home)) {
            app.history().hosts().add(new Host("db1", "unix:///nonexistent/docker.sock", true));
            app.history().destinations().add(new DestinationRecord("nas", "local", home.resolve("nowhere").toString(),
                    "/keys/nas.key", "abc"));
            app.history().points().record(new RecoveryPoint("p1", "db1", "shop", "nas", Instant.now().minusSeconds(3600),
                    "db1/shop/p1", 5L << 20, "backup"), "0".repeat(64));
            robot.interact(() -> window.attach(app, stage));
            await(() -> robot.lookup("#dashboard-runbook").tryQuery().isPresent());
            Path out = home.resolve("exported/runbook-db1-shop.md");
            java.nio.file.Files.createDirectories(out.getParent());
            robot.interact(() -> window.exportRunbook(out));
            await(() -> java.nio.file.Files.exists(out) && window.jobs().running().isEmpty());
            String text = java.nio.file.Files.readString(out);
            assertTrue(text.startsWith("# DR runbook: db1/shop"), text);
            assertTrue(text.contains("--confirm 'RESTORE PRODUCTION'"), "db1 is production: " + text);
            assertTrue(text.contains("| nas | local |") && text.contains("the file /keys/nas.key"), text);
            await(() -> robot.lookup(n -> n instanceof Label l && l.getText() != null
                    && l.getText().startsWith("The DR runbook of db1/shop is in ")).tryQuery().isPresent());
        }
    }

    @Test
    void ninetyDaysOfHistoryShowInTheDashboardTheTimelineTheRestoreWizardAndTheDrillHistory(FxRobot robot) throws Exception {
        String newest = dev.lifeboat.ui.NinetyDaysHistory.write(home);
        try (AppContext app = new AppContext(home)) {
            robot.interact(() -> {
                window.attach(app, stage);
                window.showStack(dev.lifeboat.ui.NinetyDaysHistory.HOST, dev.lifeboat.ui.NinetyDaysHistory.STACK);
            });
            await(() -> robot.lookup("#dashboard-title").tryQuery().isPresent() && window.jobs().running().isEmpty());
            Shots.shotLightAndDark(robot, stage, "console-90-days-dashboard");
            robot.interact(() -> window.showTab("Timeline"));
            await(() -> window.timeline().model().data().map(t -> t.entries().size() > 300).orElse(false));
            Shots.shotLightAndDark(robot, stage, "console-90-days-timeline");

            dev.lifeboat.ui.restorewizard.RestoreWizard[] opened = new dev.lifeboat.ui.restorewizard.RestoreWizard[1];
            robot.interact(() -> opened[0] = window.openRestoreWizard());
            var w = opened[0];
            await(() -> w.pointId() != null);
            robot.interact(() -> w.stage().getScene().lookup("#wizard-next").fireEvent(new javafx.event.ActionEvent()));
            await(() -> w.step() == 1);
            var points = robot.from(w.stage().getScene().getRoot()).lookup("#points").queryTableView();
            assertTrue(points.getItems().size() > 300, "every point of the 90 days: " + points.getItems().size());
            String recommended = robot.from(w.stage().getScene().getRoot()).lookup("#points-recommended").queryAs(Label.class).getText();
            assertTrue(recommended.equals("Recommended: " + newest + ", the newest point that was verified."), recommended);
            Shots.shotLightAndDark(robot, w.stage(), "restore-wizard-2-point-90-days");
            robot.interact(() -> w.stage().close());

            robot.interact(window::openDrillHistory);
            await(() -> javafx.stage.Window.getWindows().stream().anyMatch(x -> x instanceof Stage st
                    && st.getTitle() != null && st.getTitle().startsWith("Drill history of ")));
            Stage drills = (Stage) javafx.stage.Window.getWindows().stream().filter(x -> x instanceof Stage st
                    && st.getTitle() != null && st.getTitle().startsWith("Drill history of ")).findFirst().orElseThrow();
            Shots.shotLightAndDark(robot, drills, "drill-history-90-days");
            robot.interact(drills::close);
        }
    }

    private static void shot(FxRobot robot, Stage s, String name) throws Exception {
        dev.lifeboat.ui.Shots.shot(robot, s, name);
    }

    /** The restore wizard for {@code host/stack}, opened (as the console does) on the FX thread. */
    private dev.lifeboat.ui.restorewizard.RestoreWizard openRestoreWizard(FxRobot robot, AppContext app, String host, String stack) {
        dev.lifeboat.ui.restorewizard.RestoreWizard[] opened = new dev.lifeboat.ui.restorewizard.RestoreWizard[1];
        robot.interact(() -> {
            opened[0] = new dev.lifeboat.ui.restorewizard.RestoreWizard(stage, app, window.jobs(), host, stack);
            opened[0].stage().show();
        });
        return opened[0];
    }
}
