package dev.lifeboat.it;

import dev.lifeboat.ui.Shots;
import dev.lifeboat.AppContext;
import dev.lifeboat.core.model.Host;
import dev.lifeboat.core.model.BackupPlan;
import dev.lifeboat.ui.common.WizardFrame;
import dev.lifeboat.ui.shell.MainWindow;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextInputControl;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static dev.lifeboat.it.Screens.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The add-host, backup-plan and manual-drill wizards driven end to end on the real rig (headless):
 * a server over a real OpenSSH sshd with its host key accepted explicitly (and a swapped key refused),
 * a plan whose chosen assets, new destination and created key the agent's own job then uses for a real
 * backup, and a drill recorded by hand. Every step is written to docs/screenshots, light and dark.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(ApplicationExtension.class)
@TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class WizardsIT {
    @TempDir
    static Path tmp;
    private static Rig.DemoHome demo;
    private static SshServer sshd;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private MainWindow window;
    private Stage stage;
    private AppContext app;

    @BeforeAll
    static void demoStack() throws Exception {
        demo = Rig.demoHome(tmp, Rig.uniqueName("wiz"), false);
        demo.run("backup", demo.stack(), "--to", "disk", "-q").ok();
        sshd = SshServer.start(tmp.resolve("sshd"));
    }

    @AfterAll
    void removeDemoStack() throws Exception {
        Screens.stopConsole(window, executor, app);
        if (sshd != null) {
            sshd.close();
        }
        Rig.removeByLabel(demo.name());
    }

    @Start
    void start(Stage stage) {
        this.stage = stage;
        window = Screens.mainWindow(stage, executor);
    }

    private void attach(FxRobot robot) throws Exception {
        if (app == null) {
            app = new AppContext(demo.home(), new dev.lifeboat.ui.common.MasterPasswordDialog(() -> stage));
        }
        robot.interact(() -> {
            window.showStack("local", demo.name());
            window.attach(app, stage);
        });
        await(() -> robot.lookup("#dashboard-title").tryQuery().map(n -> ((Label) n).getText().equals("local/" + demo.name()))
                .orElse(false));
    }

    /** Lookups inside one wizard's window. */
    private record Wizard(FxRobot robot, WizardFrame frame) {
        <T extends Node> T find(String id, Class<T> type) {
            return robot.from(frame.stage().getScene().getRoot()).lookup(id).queryAs(type);
        }

        Button button(String id) {
            return find(id, Button.class);
        }

        void type(String id, String text) {
            robot.interact(() -> find(id, TextInputControl.class).setText(text));
        }

        void click(String id) {
            robot.interact(() -> {
                Node n = find(id, Node.class);
                if (n instanceof javafx.scene.control.ButtonBase b) {
                    b.fire();
                }
            });
        }

        void next(String expectedStep) throws Exception {
            await(() -> !button("#wizard-next").isDisabled());
            robot.interact(() -> button("#wizard-next").fire());
            await(() -> frame.currentStep().equals(expectedStep));
        }

        boolean nextDisabled() {
            return button("#wizard-next").isDisabled();
        }

        void shot(String name) throws Exception {
            Shots.shotLightAndDark(robot, frame.stage(), name);
        }
    }

    @Test
    @Order(1)
    void theHostWizardAddsAnSshServerOnlyWithItsAcceptedHostKey(FxRobot robot) throws Exception {
        attach(robot);
        WizardFrame[] opened = new WizardFrame[1];
        robot.interact(() -> opened[0] = window.openHostWizard().frame());
        Wizard w = new Wizard(robot, opened[0]);
        w.type("#host-name", "remote");
        w.click("#host-ssh");
        assertTrue(w.nextDisabled(), "no server given yet");
        w.type("#host-target", "root@127.0.0.1:" + sshd.port());
        w.shot("host-wizard-1-connection");
        w.next("SSH key");
        w.type("#host-identity", tmp.resolve("no-such-key").toString());
        assertTrue(w.nextDisabled(), "a missing key file");
        w.type("#host-identity", sshd.clientKey().toString());
        w.shot("host-wizard-2-key");
        w.next("Host key");
        String seen = sshd.fingerprint();
        await(() -> w.find("#host-fingerprint", Label.class).getText().equals(seen));
        assertTrue(w.nextDisabled(), "the key must be accepted explicitly");
        w.shot("host-wizard-3-host-key");
        w.click("#host-accept-key");

        sshd.swapHostKey();
        w.next("Connection test");
        await(() -> w.find("#host-test-report", Label.class).getText().startsWith("✘"));
        String refused = w.find("#host-test-report", Label.class).getText();
        assertTrue(refused.contains(seen), "the refusal names the accepted key: " + refused);
        assertTrue(w.nextDisabled(), "a server with another key is not added");

        robot.interact(() -> w.button("#wizard-back").fire());
        await(() -> w.frame().currentStep().equals("Host key"));
        String swapped = sshd.fingerprint();
        robot.interact(() -> w.find("#host-accept-key", CheckBox.class).setSelected(false));
        robot.interact(() -> w.frame().stage().getScene().getRoot().lookupAll(".button").stream()
                .filter(n -> n instanceof Button b && b.getText().equals("Ask again")).findFirst()
                .ifPresent(n -> ((Button) n).fire()));
        await(() -> w.find("#host-fingerprint", Label.class).getText().equals(swapped));
        w.click("#host-accept-key");
        w.next("Connection test");
        await(() -> w.find("#host-test-report", Label.class).getText().contains("Docker"));
        String report = w.find("#host-test-report", Label.class).getText();
        assertTrue(report.contains("✔ SSH") && report.contains(swapped) && report.contains("through the SSH tunnel"), report);
        w.shot("host-wizard-4-test");
        w.next("Production");
        w.click("#host-production");
        w.shot("host-wizard-5-production");
        robot.interact(() -> w.button("#wizard-finish").fire());
        await(() -> !w.frame().stage().isShowing());

        Host remote = app.history().hosts().require("remote");
        assertEquals("ssh://root@127.0.0.1:" + sshd.port(), remote.endpoint());
        assertEquals(swapped, remote.hostKey());
        assertTrue(remote.production());
        assertEquals(sshd.clientKey().toAbsolutePath().toString(), remote.identityFile());
        demo.run("check", "remote/" + demo.name()).ok();
    }

    @Test
    @Order(2)
    void thePlanWizardSavesAPlanWhoseBackupTakesTheTickedAssetsToANewEncryptedDestination(FxRobot robot) throws Exception {
        attach(robot);
        WizardFrame[] opened = new WizardFrame[1];
        robot.interact(() -> opened[0] = window.openPlanWizard().frame());
        Wizard w = new Wizard(robot, opened[0]);
        await(() -> window.jobs().running().isEmpty()
                && w.find("#plan-assets", javafx.scene.layout.VBox.class).getChildren().size() >= 4);
        String redis = "#asset-redis-" + demo.name() + "-cache";
        assertTrue(w.find(redis, CheckBox.class).isSelected(), "every discovered asset is ticked at first");
        robot.interact(() -> w.find(redis, CheckBox.class).setSelected(false));
        w.shot("plan-wizard-1-stack");
        w.next("Schedule");
        assertEquals(5, w.find("#plan-next-runs", ListView.class).getItems().size());
        @SuppressWarnings("unchecked") ComboBox<String> preset = w.find("#plan-schedule-preset", ComboBox.class);
        robot.interact(() -> preset.setValue("Custom (cron)"));
        w.type("#plan-cron", "0 */6 * *");
        assertTrue(w.nextDisabled(), "an invalid cron expression");
        assertFalse(w.find("#plan-cron-error", Label.class).getText().isBlank());
        assertTrue(w.find("#plan-next-runs", ListView.class).getItems().isEmpty());
        w.type("#plan-cron", "0 */4 * * *");
        assertEquals(5, w.find("#plan-next-runs", ListView.class).getItems().size());
        w.shot("plan-wizard-2-schedule");
        w.next("Retention");
        w.shot("plan-wizard-3-retention");
        w.next("Destinations");
        w.click("#plan-dest-new");
        w.type("#plan-dest-name", "vault");
        w.type("#plan-dest-dir", tmp.resolve("vault").toString());
        robot.interact(() -> w.find("#plan-copy-disk", CheckBox.class).setSelected(true));
        w.shot("plan-wizard-4-destinations");
        w.next("Encryption key");
        Path key = tmp.resolve("keys").resolve("vault.key");
        w.type("#plan-key-file", key.toString());
        assertTrue(w.nextDisabled(), "a new key needs the promise to store a copy");
        w.click("#plan-key-stored");
        w.shot("plan-wizard-5-key");
        w.next("Recovery targets");
        w.type("#plan-rpo", "1h");
        assertTrue(w.find("#plan-targets-check", Label.class).getText().contains("cannot meet"));
        w.type("#plan-rpo", "6h");
        w.type("#plan-rto", "30m");
        assertTrue(w.find("#plan-targets-check", Label.class).getText().contains("meets the RPO"));
        assertFalse(w.find("#plan-pitr", CheckBox.class).isDisabled(), "the stack has a PostgreSQL");
        w.click("#plan-pitr");
        w.shot("plan-wizard-6-targets");
        w.next("Review");
        w.type("#plan-name", "every-4h");
        String summary = w.find("#plan-summary", TextArea.class).getText();
        assertTrue(summary.contains("vault") && summary.contains("0 */4 * * *")
                && summary.contains("PITR       WAL shipped continuously to vault"), summary);
        w.shot("plan-wizard-7-review");
        robot.interact(() -> w.button("#wizard-finish").fire());
        await(() -> !w.frame().stage().isShowing());

        BackupPlan plan = app.history().plans().all().stream().filter(p -> p.name().equals("every-4h")).findFirst().orElseThrow();
        assertEquals("vault", plan.destination());
        assertEquals(List.of("disk"), plan.copies());
        assertEquals("0 */4 * * *", plan.backupCron());
        assertFalse(plan.assets().isEmpty());
        assertFalse(plan.assets().contains("redis:" + demo.name() + "-cache"), plan.assets().toString());
        assertTrue(Files.isRegularFile(key), "the key was created");
        await(() -> robot.lookup(n -> n instanceof Label l && l.getText() != null && l.getText().contains("plan every-4h"))
                .tryQuery().isPresent());
        assertEquals(Duration.ofHours(6), app.history().plans().settings("local", demo.name()).rpo());
        assertEquals(Duration.ofMinutes(30), app.history().plans().settings("local", demo.name()).rto());

        String point = demo.run("plan", "run", "every-4h").ok().out().trim();
        assertFalse(demo.run("verify", point).ok().out().contains("FAIL"));
        assertEquals(2, app.history().points().withId(point).size(), "the point and its copy on disk");
        Path vaultPoint = tmp.resolve("vault").resolve("local").resolve(demo.name()).resolve(point);
        String manifest = Files.readString(vaultPoint.resolve("manifest.json"));
        assertFalse(manifest.contains("\"redis:" + demo.name() + "-cache\""), "the unticked Redis was not backed up");
        assertTrue(manifest.contains("\"postgres:" + demo.name() + "-db\""), "the ticked database was");
        // WAL shipping was switched on with the plan: its backups take the base backup the WAL rolls forward from
        assertEquals(List.of("postgres:" + demo.name() + "-db to vault"), app.history().pitr().of("local", demo.name()).stream()
                .map(c -> c.asset() + " to " + c.destination()).toList());
        assertTrue(manifest.contains("\"baseStartWal\""), "the plan's backup took a base backup");
        demo.run("pitr", "disable", demo.stack()).ok();
    }

    @Test
    @Order(3)
    void aManualDrillIsRecordedWithItsPhasesResultAndNotes(FxRobot robot) throws Exception {
        attach(robot);
        WizardFrame[] opened = new WizardFrame[1];
        robot.interact(() -> opened[0] = window.openManualDrill().frame());
        Wizard w = new Wizard(robot, opened[0]);
        @SuppressWarnings("unchecked") ComboBox<String> scenario = w.find("#manual-scenario", ComboBox.class);
        robot.interact(() -> scenario.setValue("database-corruption"));
        assertTrue(w.nextDisabled(), "phases need their times");
        w.type("#manual-took-0", "10m");
        w.type("#manual-took-1", "25m");
        w.type("#manual-took-2", "five minutes");
        assertTrue(w.nextDisabled(), "'five minutes' is not a duration");
        w.type("#manual-took-2", "5m");
        w.shot("manual-drill-1-phases");
        w.next("Result and notes");
        w.type("#manual-rpo", "4h");
        w.type("#manual-notes", "Restored on the spare host; DNS TTL slowed the switch-over.");
        w.shot("manual-drill-2-result");
        robot.interact(() -> w.button("#wizard-finish").fire());
        await(() -> !w.frame().stage().isShowing());
        var drill = app.history().proof().drills("local", demo.name()).get(0);
        assertEquals("database-corruption", drill.scenario());
        assertEquals("manual", drill.mode());
        assertEquals(Duration.ofMinutes(40).toMillis(), drill.rtoMs());
        assertEquals(Duration.ofHours(4).toMillis(), drill.rpoMs());
        assertTrue(drill.notes().contains("DNS TTL"));
    }

    @Test
    @Order(4)
    void thePointDetailsShowTheManifestAndVerifyTestRestoreAndReplicateThePoint(FxRobot robot) throws Exception {
        attach(robot);
        String point = app.history().points().of("local", demo.name()).stream().filter(p -> p.destination().equals("disk"))
                .filter(p -> app.history().points().withId(p.id()).size() == 1).findFirst().orElseThrow().id();
        dev.lifeboat.ui.pointdetails.PointDetails[] opened = new dev.lifeboat.ui.pointdetails.PointDetails[1];
        robot.interact(() -> opened[0] = window.openPointDetails(point));
        var d = opened[0];
        java.util.function.Function<String, Node> in = id -> robot.from(d.stage().getScene().getRoot()).lookup(id).query();
        await(() -> ((javafx.scene.control.TableView<?>) in.apply("#point-artifacts")).getItems().size() >= 5);
        var rows = ((javafx.scene.control.TableView<?>) in.apply("#point-artifacts")).getItems();
        assertTrue(rows.stream().map(r -> (dev.lifeboat.ui.pointdetails.PointDetails.ArtifactRow) r)
                .allMatch(r -> r.sha256().matches("[0-9a-f]{64}") && r.storedBytes() > 0), rows.toString());

        robot.interact(() -> ((Button) in.apply("#point-verify")).fire());
        await(() -> d.status().startsWith("Verified") || d.status().contains("FAILED") || d.status().contains("failed"));
        assertTrue(d.status().startsWith("Verified"), d.status());
        robot.interact(() -> ((Button) in.apply("#point-test-restore")).fire());
        await(() -> d.status().startsWith("Restore test") || d.status().contains("failed"));
        assertTrue(d.status().startsWith("Restore test passed"), d.status());
        await(() -> ((javafx.scene.control.TableView<?>) in.apply("#point-runs")).getItems().size() >= 3);
        assertTrue(Rig.sandboxObjects(demo.home()).isEmpty(), "the sandbox is gone");

        @SuppressWarnings("unchecked") ComboBox<String> target = (ComboBox<String>) in.apply("#point-replica-target");
        await(() -> target.getItems().contains("vault"));
        robot.interact(() -> target.setValue("vault"));
        robot.interact(() -> ((Button) in.apply("#point-replicate")).fire());
        await(() -> d.status().startsWith("Copied") || d.status().contains("failed"));
        assertTrue(d.status().startsWith("Copied to vault"), d.status());
        assertEquals(2, app.history().points().withId(point).size());
        await(() -> ((ListView<?>) in.apply("#point-holders")).getItems().size() == 2);
        Shots.shotLightAndDark(robot, d.stage(), "point-details");
        robot.interact(() -> d.stage().close());
    }

    @Test
    @Order(6)
    void aFailedBackupRaisesAnAlertThatCanBeAcknowledgedAndChannelsCanBeTested(FxRobot robot) throws Exception {
        // after the passphrase test: the secret store exists, its master password is known to the CLI and the console
        java.util.List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();
        com.sun.net.httpserver.HttpServer hook = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 10);
        hook.createContext("/hook", ex -> {
            received.add(new String(ex.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        hook.start();
        try {
            java.nio.file.Path url = Files.writeString(tmp.resolve("hook-url"),
                    "http://127.0.0.1:" + hook.getAddress().getPort() + "/hook");
            demo.run("secret", "set", "ops-hook-url", "--from-file", url.toString()).ok();
            demo.run("alert", "channel", "add", "ops-hook", "--webhook", "secret:ops-hook-url").ok();
            attach(robot);
            Rig.docker("stop", demo.name() + "-db");
            robot.interact(() -> robot.lookup("#backup-now").queryButton().fire()); // the console's own backup fails
            robot.interact(() -> window.showTab("Alerts"));
            var view = robot.lookup("#alert-table").queryAs(javafx.scene.control.TableView.class);
            await(() -> view.getItems().stream().anyMatch(a -> ((dev.lifeboat.core.model.Alert) a).state().equals("open")
                    && ((dev.lifeboat.core.model.Alert) a).kind().equals("backup-failed")));
            dev.lifeboat.core.model.Alert failed = (dev.lifeboat.core.model.Alert) view.getItems().stream()
                    .filter(a -> ((dev.lifeboat.core.model.Alert) a).kind().equals("backup-failed")).findFirst().orElseThrow();
            robot.interact(() -> view.getSelectionModel().select(failed));
            robot.interact(() -> robot.lookup("#alert-ack").queryButton().fire());
            await(() -> app.history().alerts().recent(50).stream().anyMatch(a -> a.id() == failed.id() && a.state().equals("acknowledged")));
            await(() -> robot.lookup("#alerts-status").queryAs(Label.class).getText().contains("acknowledged"));

            var channels = robot.lookup("#channels").queryAs(javafx.scene.control.TableView.class);
            await(() -> channels.getItems().size() == 1);
            robot.interact(() -> channels.getSelectionModel().select(0));
            robot.interact(() -> robot.lookup("#channel-test").queryButton().fire());
            await(() -> received.stream().anyMatch(b -> b.contains("Test message from Lifeboat")));
            await(() -> robot.lookup("#alerts-status").queryAs(Label.class).getText().startsWith("Test message sent"));
            Shots.shotLightAndDark(robot, stage, "alerts");
        } finally {
            hook.stop(0);
            Rig.docker("start", demo.name() + "-db");
        }
    }

    @Test
    @Order(5)
    void aPassphraseProtectedKeyIsAskedForOnceAndKeptOnlyInTheEncryptedStore(FxRobot robot) throws Exception {
        Path key = tmp.resolve("sshd").resolve("protected");
        String passphrase = "correct horse battery staple 42";
        String master = "lifeboat master 7";
        SshServer.run("ssh-keygen", "-q", "-t", "ed25519", "-N", passphrase, "-f", key.toString());
        Files.writeString(tmp.resolve("sshd").resolve("authorized_keys"), Files.readString(key.resolveSibling("protected.pub")),
                java.nio.file.StandardOpenOption.APPEND);
        attach(robot);
        WizardFrame[] opened = new WizardFrame[1];
        robot.interact(() -> opened[0] = window.openHostWizard().frame());
        Wizard w = new Wizard(robot, opened[0]);
        w.type("#host-name", "guarded");
        w.click("#host-ssh");
        w.type("#host-target", "root@127.0.0.1:" + sshd.port());
        w.next("SSH key");
        w.type("#host-identity", key.toString());
        await(() -> w.find("#host-passphrase", javafx.scene.control.PasswordField.class).isVisible());
        assertTrue(w.nextDisabled(), "a protected key needs its passphrase");
        w.type("#host-passphrase", passphrase);
        w.next("Host key");
        String seen = sshd.fingerprint();
        await(() -> w.find("#host-fingerprint", Label.class).getText().equals(seen));
        w.click("#host-accept-key");
        w.next("Connection test");

        await(() -> robot.lookup("#master-password-again").tryQuery().isPresent());
        var first = robot.lookup("#master-password").queryAs(javafx.scene.control.PasswordField.class);
        var again = robot.lookup("#master-password-again").queryAs(javafx.scene.control.PasswordField.class);
        var pane = (javafx.scene.control.DialogPane) first.getScene().getRoot();
        robot.interact(() -> {
            first.setText(master);
            again.setText(master + "x");
        });
        assertTrue(pane.lookupButton(javafx.scene.control.ButtonType.OK).isDisabled(), "the two passwords differ");
        Shots.shotLightAndDark(robot, (Stage) first.getScene().getWindow(), "master-password");
        robot.interact(() -> again.setText(master));
        robot.interact(() -> ((Button) pane.lookupButton(javafx.scene.control.ButtonType.OK)).fire());
        await(() -> w.find("#host-test-report", Label.class).getText().contains("Docker"));
        assertTrue(w.find("#host-test-report", Label.class).getText().startsWith("✔ SSH"));
        w.next("Production");
        robot.interact(() -> w.button("#wizard-finish").fire());
        await(() -> !w.frame().stage().isShowing());

        assertEquals(seen, app.history().hosts().require("guarded").hostKey());
        byte[] needle = passphrase.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (var files = Files.walk(demo.home())) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                byte[] bytes = Files.readAllBytes(f);
                for (int i = 0; i + needle.length <= bytes.length; i++) {
                    assertFalse(java.util.Arrays.equals(bytes, i, i + needle.length, needle, 0, needle.length),
                            "the passphrase is in plain text in " + f);
                }
            }
        }
        assertTrue(Files.exists(demo.home().resolve("secrets.vault")));
        Rig.alwaysWith(demo.home(), "--master-password-file", Files.writeString(tmp.resolve("master"), master).toString());
        demo.run("check", "guarded/" + demo.name()).ok();
    }
}
