package dev.lifeboat.ui.hostwizard;

import dev.lifeboat.core.model.Host;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The add-host wizard's state, one object per wizard. A changed connection (target, key or accepted
 * fingerprint) forgets what the connection test proved, so a host is only saved as it was tested.
 */
public final class HostWizardModel {
    public static final String LOCAL_DOCKER = "unix:///var/run/docker.sock";
    private static final String NAME = "[A-Za-z0-9][A-Za-z0-9_.-]{0,62}";

    final StringProperty name = new SimpleStringProperty("");
    final BooleanProperty ssh = new SimpleBooleanProperty(false);
    final StringProperty socket = new SimpleStringProperty(LOCAL_DOCKER);
    final StringProperty target = new SimpleStringProperty("");
    final StringProperty identity = new SimpleStringProperty("");
    final BooleanProperty needsPassphrase = new SimpleBooleanProperty(false);
    /** Whether {@link #identity} names a regular file; found out on a worker, never on the FX thread. */
    final BooleanProperty identityIsFile = new SimpleBooleanProperty(false);
    final StringProperty passphrase = new SimpleStringProperty("");
    final StringProperty fingerprint = new SimpleStringProperty("");
    final StringProperty fingerprintError = new SimpleStringProperty("");
    final BooleanProperty accepted = new SimpleBooleanProperty(false);
    /** The host as the connection test proved it (SSH key pinned), or null while untested. */
    final ObjectProperty<Host> tested = new SimpleObjectProperty<>();
    final StringProperty testReport = new SimpleStringProperty("");
    final BooleanProperty production = new SimpleBooleanProperty(false);

    HostWizardModel() {
        target.addListener((o, a, b) -> {
            fingerprint.set("");
            fingerprintError.set("");
            accepted.set(false);
        });
        for (var p : java.util.List.of(name, socket, target, identity, passphrase, fingerprint)) {
            p.addListener((o, a, b) -> tested.set(null));
        }
        ssh.addListener((o, a, b) -> tested.set(null));
        accepted.addListener((o, a, b) -> tested.set(null));
    }

    /** The first of the user's usual SSH keys that exists, or "": reads the disk, so call it on a worker. */
    static String defaultIdentity() {
        Path home = Path.of(System.getProperty("user.home"), ".ssh");
        for (String k : new String[] {"id_ed25519", "id_ecdsa", "id_rsa"}) {
            if (Files.isRegularFile(home.resolve(k))) {
                return home.resolve(k).toString();
            }
        }
        return "";
    }

    BooleanBinding connectionComplete() {
        return Bindings.createBooleanBinding(() -> !name.get().isEmpty() && nameProblem(name.get()) == null
                        && (ssh.get() ? !target.get().isBlank() && targetProblem(target.get()) == null
                        : socketProblem(socket.get()) == null),
                name, ssh, target, socket);
    }

    /** What is wrong with a host's name, or null (what the field's decoration says, and what keeps Next off). */
    static String nameProblem(String name) {
        return name.matches(NAME) ? null
                : "Letters, digits, '.', '_' and '-', starting with a letter or digit, at most 63 characters";
    }

    /** What is wrong with an SSH target, or null. */
    static String targetProblem(String target) {
        return target.trim().matches("[A-Za-z0-9._-]+@[A-Za-z0-9.:\\[\\]-]+") ? null
                : "USER@SERVER or USER@SERVER:PORT, e.g. root@db1.example.org:2222";
    }

    /** What is wrong with a Docker engine address, or null. */
    static String socketProblem(String socket) {
        String s = socket.trim();
        return s.startsWith("unix://") || s.startsWith("tcp://") ? null
                : "unix:///var/run/docker.sock, or tcp://HOST:PORT for an engine that listens on TCP";
    }

    BooleanBinding keyComplete() {
        return Bindings.createBooleanBinding(() -> !identity.get().isBlank() && identityIsFile.get()
                && (!needsPassphrase.get() || !passphrase.get().isEmpty()), identity, identityIsFile, needsPassphrase, passphrase);
    }

    BooleanBinding hostKeyComplete() {
        return fingerprint.isNotEmpty().and(accepted);
    }

    BooleanBinding testComplete() {
        return tested.isNotNull();
    }

    /** The host to save: the tested one, with the production flag as chosen last. */
    Host toSave() {
        Host t = tested.get();
        return new Host(t.name(), t.endpoint(), production.get(), t.identityFile(), t.hostKey());
    }
}
