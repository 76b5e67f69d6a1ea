package dev.lifeboat.ui.dashboard;

import dev.lifeboat.AppContext;
import dev.lifeboat.core.ConfirmationRequiredException;
import dev.lifeboat.core.history.DestinationRecord;
import dev.lifeboat.core.model.Host;
import dev.lifeboat.core.restore.ConfirmationPolicy;
import dev.lifeboat.ui.common.DialogService;
import dev.lifeboat.ui.common.Jobs;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ChoiceDialog;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.VBox;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Switching WAL shipping on from a stack's dashboard (ADR 24), as {@code lifeboat pitr enable} does: the
 * admin picks the destination; a server that needs a setting changed and a restart says exactly what,
 * and the restart happens only once confirmed, with the typed phrase on a production host. The work
 * runs on the jobs; the FX thread only shows the dialogs.
 */
public final class PitrSwitch {
    private final AppContext app;
    private final Jobs jobs;
    private final DialogService dialogs;
    private final Runnable switched;

    /** {@code switched}: run once shipping is on (the dashboard reloads). */
    public PitrSwitch(AppContext app, Jobs jobs, DialogService dialogs, Runnable switched) {
        this.app = app;
        this.jobs = jobs;
        this.dialogs = dialogs;
        this.switched = switched;
    }

    public void start(String host, String stack) {
        jobs.read(() -> Map.entry(app.history().destinations().all(), app.history().hosts().require(host)),
                r -> chooseDestination(r.getValue(), stack, r.getKey()),
                e -> dialogs.error("Cannot switch on point-in-time recovery", e));
    }

    private void chooseDestination(Host host, String stack, List<DestinationRecord> destinations) {
        if (destinations.isEmpty()) {
            dialogs.info("Point-in-time recovery", "Add a destination first: the WAL is shipped to one.");
            return;
        }
        List<String> names = destinations.stream().map(DestinationRecord::name).toList();
        ChoiceDialog<String> choose = new ChoiceDialog<>(names.get(0), names);
        choose.initOwner(dialogs.owner());
        choose.setTitle("Point-in-time recovery");
        choose.setHeaderText("Ship the WAL of the PostgreSQL of " + host.name() + "/" + stack + " continuously");
        choose.setContentText("To destination");
        choose.getDialogPane().setId("pitr-destination");
        choose.showAndWait().ifPresent(dest -> enable(host, stack, dest, false, null));
    }

    private void enable(Host host, String stack, String destination, boolean restart, String phrase) {
        jobs.submit("Switch on WAL shipping of " + host.name() + "/" + stack, progress -> app.walShipping().enable(host.name(), stack,
                        null, destination, 30, 120, restart, phrase),
                enabled -> {
                    dialogs.info("Point-in-time recovery is on", enabled.stream().map(e -> e.asset() + ": " + e.detail())
                            .collect(Collectors.joining("\n")) + "\n\nThe agent keeps the WAL shipping. The next backup of the"
                            + " stack takes the base backup it rolls forward from.");
                    switched.run();
                },
                e -> {
                    if (e instanceof ConfirmationRequiredException needed && !restart) {
                        confirmRestart(host, stack, destination, needed.reason());
                    } else {
                        dialogs.error("WAL shipping was not switched on", e);
                    }
                });
    }

    /** The change the server needs, and the restart, confirmed by the admin (with the phrase on production). */
    private void confirmRestart(Host host, String stack, String destination, String why) {
        Dialog<ButtonType> confirm = new Dialog<>();
        confirm.initOwner(dialogs.owner());
        confirm.setTitle("Point-in-time recovery needs a restart");
        confirm.setHeaderText("PostgreSQL must be restarted to ship its WAL");
        Label text = new Label(why + ".\n\nThe database is down while it restarts (usually seconds). Apply the change and restart?");
        text.setWrapText(true);
        text.setMaxWidth(480);
        VBox box = new VBox(10, text);
        TextField phrase = new TextField();
        phrase.setId("pitr-phrase");
        ButtonType apply = new ButtonType("Apply and restart", ButtonBar.ButtonData.OK_DONE);
        confirm.getDialogPane().getButtonTypes().addAll(apply, ButtonType.CANCEL);
        if (host.production()) {
            Label warn = new Label(host.name() + " is a production host. Type " + ConfirmationPolicy.PRODUCTION_PHRASE + " to restart it.");
            warn.getStyleClass().add("danger-text");
            phrase.setPromptText(ConfirmationPolicy.PRODUCTION_PHRASE);
            box.getChildren().addAll(warn, phrase);
            confirm.getDialogPane().lookupButton(apply).disableProperty().bind(javafx.beans.binding.Bindings.createBooleanBinding(
                    () -> !ConfirmationPolicy.accepts(host, phrase.getText()), phrase.textProperty()));
        }
        confirm.getDialogPane().setContent(box);
        confirm.showAndWait().filter(b -> b == apply).ifPresent(b -> enable(host, stack, destination, true, phrase.getText()));
    }
}
