package dev.lifeboat.ui.common;

import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.secrets.MasterPassword;
import javafx.application.Platform;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;

/**
 * The console's source of the secret store's master password: the environment, as for the CLI and
 * the agent ({@code $LIFEBOAT_MASTER_PASSWORD_FILE}, {@code $LIFEBOAT_MASTER_PASSWORD}), else a
 * dialog. The store asks from a background job (never from the FX thread), which waits for the answer;
 * a new store asks twice. Cancel fails the job with a clear message. The password is never kept here.
 */
public final class MasterPasswordDialog implements MasterPassword {
    private final Supplier<Window> owner;

    public MasterPasswordDialog(Supplier<Window> owner) {
        this.owner = owner;
    }

    @Override
    public char[] obtain(boolean creating) {
        if (System.getenv("LIFEBOAT_MASTER_PASSWORD_FILE") != null || System.getenv("LIFEBOAT_MASTER_PASSWORD") != null) {
            return MasterPassword.standard(null).obtain(creating);
        }
        if (Platform.isFxApplicationThread()) {
            throw new LifeboatException("The secret store was opened on the UI thread; this is a bug, nothing was stored");
        }
        FutureTask<Optional<char[]>> ask = new FutureTask<>(() -> ask(creating));
        Platform.runLater(ask);
        try {
            return ask.get().orElseThrow(() -> new LifeboatException("No master password given: the secret store stays locked"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LifeboatException("Cancelled while asking for the master password");
        } catch (ExecutionException e) {
            throw new LifeboatException("Cannot ask for the master password: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private Optional<char[]> ask(boolean creating) {
        Dialog<ButtonType> d = new Dialog<>();
        d.initOwner(owner.get());
        d.setTitle("Lifeboat secret store");
        d.setHeaderText(creating ? "Choose a master password for Lifeboat's secret store"
                : "Master password of Lifeboat's secret store");
        PasswordField first = new PasswordField();
        first.setId("master-password");
        PasswordField again = new PasswordField();
        again.setId("master-password-again");
        Label mismatch = new Label();
        mismatch.setId("master-password-mismatch");
        mismatch.getStyleClass().add("danger-text");
        Label explain = Forms.hint(creating ? "It encrypts the SSH key passphrases, S3 credentials and repository keys kept "
                + "in the secret store (secrets.vault in the Lifeboat home). Without it they cannot be read: keep it somewhere "
                + "safe." : "SSH key passphrases, S3 credentials and repository keys are kept encrypted under it.");
        explain.setPrefWidth(460);
        VBox box = new VBox(8, explain, first);
        if (creating) {
            box.getChildren().addAll(new Label("Repeat it"), again, mismatch);
        }
        d.getDialogPane().setContent(box);
        d.getDialogPane().getStylesheets().add(Theme.stylesheet());
        d.getDialogPane().getButtonTypes().addAll(ButtonType.OK, ButtonType.CANCEL);
        var ok = d.getDialogPane().lookupButton(ButtonType.OK);
        ok.disableProperty().bind(first.textProperty().isEmpty()
                .or(javafx.beans.binding.Bindings.createBooleanBinding(() -> creating
                        && !first.getText().equals(again.getText()), first.textProperty(), again.textProperty())));
        mismatch.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(() -> creating
                && !again.getText().isEmpty() && !first.getText().equals(again.getText()) ? "The two passwords differ" : "",
                first.textProperty(), again.textProperty()));
        Platform.runLater(first::requestFocus);
        Optional<ButtonType> answer = d.showAndWait();
        char[] password = first.getText().toCharArray();
        first.clear();
        again.clear();
        if (answer.isEmpty() || answer.get() != ButtonType.OK) {
            Arrays.fill(password, '\0');
            return Optional.empty();
        }
        return Optional.of(password);
    }
}
