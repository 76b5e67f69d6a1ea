package dev.lifeboat.ui.hostwizard;

import dev.lifeboat.AppContext;
import dev.lifeboat.core.host.HostEnrollment;
import dev.lifeboat.core.model.Host;
import dev.lifeboat.core.restore.ConfirmationPolicy;
import dev.lifeboat.ui.common.Forms;
import dev.lifeboat.ui.common.Jobs;
import dev.lifeboat.ui.common.WizardFrame;
import javafx.beans.binding.Bindings;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.RadioButton;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.stage.Window;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The add-host wizard: connection (this machine's Docker or a server over SSH) → SSH key → the
 * server's host-key fingerprint, accepted explicitly → connection test (SSH sign-in with the pinned
 * key, then the Docker engine) → production or not. All checks are the core's {@link HostEnrollment},
 * run in the background; the host is saved only as it was tested.
 */
public final class HostWizard {
    private final AppContext app;
    private final Jobs jobs;
    private final HostEnrollment enrollment;
    private final HostWizardModel model = new HostWizardModel();
    private final WizardFrame frame;
    private final Label finishError = new Label();

    public HostWizard(Window owner, AppContext app, Jobs jobs, Consumer<Host> added) {
        this.app = app;
        this.jobs = jobs;
        this.enrollment = new HostEnrollment(app.history(), app.secrets(), app.connector());
        jobs.read(HostWizardModel::defaultIdentity, id -> {
            if (model.identity.get().isEmpty()) {
                model.identity.set(id);
            }
        }, e -> { });
        jobs.read(() -> app.history().hosts().all().stream().noneMatch(h -> h.name().equals("local")), noLocal -> {
            if (noLocal && model.name.get().isEmpty()) {
                model.name.set("local");
            }
        }, e -> { });
        List<WizardFrame.Step> local = List.of(WizardFrame.step("Connection", this::connectionStep, model.connectionComplete()),
                WizardFrame.step("Connection test", this::testStep, model.testComplete()),
                WizardFrame.confirm("Production", this::productionStep, Bindings.createBooleanBinding(() -> true), "Add host",
                        "wizard-finish", () -> save(added)));
        List<WizardFrame.Step> ssh = List.of(local.get(0), WizardFrame.step("SSH key", this::keyStep, model.keyComplete()),
                WizardFrame.step("Host key", this::hostKeyStep, model.hostKeyComplete()), local.get(1), local.get(2));
        frame = new WizardFrame(owner, "Add a Docker host", () -> model.ssh.get() ? ssh : local);
        frame.start();
    }

    public WizardFrame frame() {
        return frame;
    }

    private Node connectionStep() {
        TextField name = new TextField();
        name.setId("host-name");
        name.setPromptText("db1");
        name.textProperty().bindBidirectional(model.name);
        RadioButton local = Forms.radio("host-local", "This machine's Docker engine");
        RadioButton ssh = Forms.radio("host-ssh", "A server over SSH (the Engine API is tunnelled; no Docker port is opened)");
        Forms.either(model.ssh, ssh, local);
        TextField socket = Forms.field("host-socket", model.socket);
        socket.disableProperty().bind(model.ssh);
        TextField target = new TextField();
        target.setId("host-target");
        target.setPromptText("root@db1.example.org or root@db1.example.org:2222");
        target.textProperty().bindBidirectional(model.target);
        target.disableProperty().bind(model.ssh.not());
        Forms.check(name, HostWizardModel::nameProblem);
        Forms.check(socket, HostWizardModel::socketProblem);
        Forms.check(target, HostWizardModel::targetProblem);
        GridPane grid = Forms.grid();
        grid.addRow(0, new Label("Name"), name);
        grid.add(local, 0, 1, 2, 1);
        grid.addRow(2, new Label("Engine socket"), socket);
        grid.add(ssh, 0, 3, 2, 1);
        grid.addRow(4, new Label("User and server"), target);
        return new VBox(12, Forms.hint("Name the host as it should appear in Lifeboat, and say how to reach its Docker engine."), grid);
    }

    private Node keyStep() {
        TextField key = new TextField();
        key.setId("host-identity");
        key.setPromptText("~/.ssh/id_ed25519");
        key.textProperty().bindBidirectional(model.identity);
        Button browse = new Button("Browse…");
        browse.setOnAction(e -> {
            FileChooser chooser = new FileChooser();
            chooser.setTitle("SSH private key");
            var file = chooser.showOpenDialog(frame.stage());
            if (file != null) {
                model.identity.set(file.getAbsolutePath());
            }
        });
        HBox keyRow = new HBox(8, key, browse);
        HBox.setHgrow(key, Priority.ALWAYS);
        PasswordField passphrase = new PasswordField();
        passphrase.setId("host-passphrase");
        passphrase.textProperty().bindBidirectional(model.passphrase);
        Label passLabel = new Label("Passphrase");
        passphrase.visibleProperty().bind(model.needsPassphrase);
        passLabel.visibleProperty().bind(model.needsPassphrase);
        model.identity.addListener((o, a, b) -> checkKey());
        checkKey();
        GridPane grid = Forms.grid();
        grid.addRow(0, new Label("Private key"), keyRow);
        grid.addRow(1, passLabel, passphrase);
        return new VBox(12, Forms.hint("Lifeboat signs in with this key. It stores the key's path, never the key; a passphrase "
                + "goes into the encrypted secret store."), grid);
    }

    private void checkKey() {
        String file = model.identity.get().trim();
        model.identityIsFile.set(false);
        if (file.isEmpty()) {
            model.needsPassphrase.set(false);
            return;
        }
        jobs.read(() -> {
            boolean isFile = java.nio.file.Files.isRegularFile(Path.of(file));
            return new boolean[] {isFile, isFile && enrollment.needsPassphrase(Path.of(file))};
        }, r -> {
            if (file.equals(model.identity.get().trim())) {
                model.identityIsFile.set(r[0]);
                model.needsPassphrase.set(r[1]);
            }
        }, e -> model.needsPassphrase.set(false));
    }

    private Node hostKeyStep() {
        Label fingerprint = new Label();
        fingerprint.setId("host-fingerprint");
        fingerprint.getStyleClass().add("fingerprint");
        fingerprint.textProperty().bind(Bindings.createStringBinding(() -> !model.fingerprint.get().isEmpty()
                        ? model.fingerprint.get() : model.fingerprintError.get().isEmpty() ? "Asking the server for its key…"
                        : model.fingerprintError.get(), model.fingerprint, model.fingerprintError));
        fingerprint.setWrapText(true);
        CheckBox accept = new CheckBox("I compared this fingerprint with the server's own and accept it");
        accept.setId("host-accept-key");
        accept.selectedProperty().bindBidirectional(model.accepted);
        accept.disableProperty().bind(model.fingerprint.isEmpty());
        Button again = new Button("Ask again");
        again.setOnAction(e -> learnFingerprint());
        if (model.fingerprint.get().isEmpty()) {
            learnFingerprint();
        }
        return new VBox(12, Forms.hint("First contact with " + model.target.get() + ". Its host key fingerprint is:"), fingerprint,
                Forms.hint("Compare it with the server's own, out of band: ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub. "
                        + "Lifeboat pins it and refuses the server if the key ever changes."), accept, again);
    }

    private void learnFingerprint() {
        String target = model.target.get();
        model.fingerprintError.set("");
        jobs.load("Host key of " + target, p -> enrollment.fingerprint(target), model.fingerprint::set,
                e -> model.fingerprintError.set("Cannot read the server's key: " + e.getMessage()));
    }

    private Node testStep() {
        Label report = new Label();
        report.setId("host-test-report");
        report.setWrapText(true);
        report.textProperty().bind(model.testReport);
        Button again = new Button("Test again");
        again.setId("host-test-again");
        again.setOnAction(e -> test());
        if (model.tested.get() == null) {
            test();
        }
        return new VBox(12, Forms.hint("Lifeboat signs in and asks the Docker engine for its version; nothing is changed on the host."),
                report, again);
    }

    private void test() {
        boolean ssh = model.ssh.get();
        String name = model.name.get().trim();
        String target = model.target.get().trim();
        Path identity = ssh ? Path.of(model.identity.get().trim()) : null;
        String passphrase = model.passphrase.get();
        boolean needsPassphrase = model.needsPassphrase.get();
        String accepted = model.fingerprint.get();
        String socket = model.socket.get().trim();
        model.testReport.set("Testing…");
        List<String> lines = new ArrayList<>();
        jobs.load("Test host " + name, p -> {
            Host host;
            if (ssh) {
                if (needsPassphrase) {
                    enrollment.storePassphrase(identity, passphrase);
                }
                p.phase("ssh", "Signing in over SSH");
                host = enrollment.authenticate(name, target, identity, accepted, null, false);
                lines.add("✔ SSH: signed in to " + target + " with " + identity.getFileName() + "; host key " + host.hostKey()
                        + " pinned");
            } else {
                host = new Host(name, socket, false);
            }
            p.phase("docker", "Asking Docker for its version");
            lines.add("✔ Docker " + enrollment.dockerVersion(host) + " answers" + (ssh ? " through the SSH tunnel" : " on " + socket));
            return host;
        }, host -> {
            model.testReport.set(String.join("\n", lines));
            model.tested.set(host);
        }, e -> {
            lines.add("✘ " + e.getMessage());
            model.testReport.set(String.join("\n", lines));
            model.tested.set(null);
        });
    }

    private Node productionStep() {
        CheckBox production = new CheckBox("Production host");
        production.setId("host-production");
        production.selectedProperty().bindBidirectional(model.production);
        finishError.setId("host-error");
        finishError.setWrapText(true);
        finishError.getStyleClass().add("danger-text");
        Host t = model.tested.get();
        return new VBox(12, production, Forms.hint("Restores onto a production host need the typed phrase "
                        + ConfirmationPolicy.PRODUCTION_PHRASE + "; drills there run in a sandbox unless you type it too."),
                Forms.hint("Host " + t.name() + ": " + t.endpoint() + (t.hostKey() == null ? "" : "\nHost key " + t.hostKey())),
                finishError);
    }

    private void save(Consumer<Host> added) {
        Host host = model.toSave();
        frame.busy(true);
        jobs.submit("Add host " + host.name(), p -> enrollment.add(host, app.actor()), a -> {
            frame.stage().close();
            added.accept(a.host());
        }, e -> {
            finishError.setText("The host was not added: " + e.getMessage());
            frame.busy(false);
        });
    }
}
