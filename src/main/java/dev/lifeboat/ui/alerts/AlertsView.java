package dev.lifeboat.ui.alerts;

import dev.lifeboat.AppContext;
import dev.lifeboat.core.model.Alert;
import dev.lifeboat.core.model.AlertChannel;
import dev.lifeboat.ui.common.Forms;
import dev.lifeboat.ui.common.Jobs;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

import java.util.List;
import java.util.Map;

/**
 * The alerts of the whole fleet (failed runs, missing backups, size jumps, overdue drills, destinations
 * that cannot be opened or are nearly full) with Acknowledge and Resolve, and the alert channels with
 * "Send test". The rules and deliveries are the core's {@code AlertService}, as for the agent and the CLI.
 */
public final class AlertsView {
    private final VBox root = new VBox(10);
    private final ObservableList<Alert> alerts = FXCollections.observableArrayList();
    private final ObservableList<AlertChannel> channels = FXCollections.observableArrayList();
    private final TableView<Alert> alertTable = new TableView<>(alerts);
    private final TableView<AlertChannel> channelTable = new TableView<>(channels);
    private final Label status = new Label();
    private AppContext app;
    private Jobs jobs;

    public AlertsView() {
        alertTable.setId("alert-table");
        Forms.column(alertTable, "Raised", a -> a.createdAt().toString().substring(0, 16).replace('T', ' '));
        Forms.column(alertTable, "State", Alert::state);
        Forms.column(alertTable, "Stack", a -> a.host() == null ? "" : a.host() + (a.stack() == null ? "" : "/" + a.stack()));
        Forms.column(alertTable, "Alert", Alert::title);
        Forms.column(alertTable, "Detail", Alert::message);
        alertTable.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        alertTable.setPlaceholder(new Label("No alerts. Rules run after every backup and every 5 minutes in the agent."));
        Button ack = new Button("Acknowledge");
        ack.setId("alert-ack");
        Button resolve = new Button("Resolve");
        resolve.setId("alert-resolve");
        ack.disableProperty().bind(alertTable.getSelectionModel().selectedItemProperty().isNull());
        resolve.disableProperty().bind(alertTable.getSelectionModel().selectedItemProperty().isNull());
        ack.setOnAction(e -> setState(false));
        resolve.setOnAction(e -> setState(true));
        Button evaluate = new Button("Evaluate now");
        evaluate.setId("alert-evaluate");
        evaluate.setOnAction(e -> act("Evaluate alert rules", () -> {
            int raised = app.alerts().evaluate().size();
            app.alerts().deliverPending();
            return raised == 0 ? "No new alerts." : raised + " new alert(s) raised and sent.";
        }));

        channelTable.setId("channels");
        Forms.column(channelTable, "Channel", AlertChannel::name);
        Forms.column(channelTable, "Kind", AlertChannel::kind);
        Forms.column(channelTable, "Target", c -> c.target().startsWith("secret:") ? c.target() : redact(c.target()));
        channelTable.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        channelTable.setPlaceholder(Forms.hint("No channels: add e-mail, Slack or a webhook with 'lifeboat alert channel add'."));
        channelTable.setPrefHeight(140);
        Button test = new Button("Send test");
        test.setId("channel-test");
        test.disableProperty().bind(channelTable.getSelectionModel().selectedItemProperty().isNull());
        test.setOnAction(e -> {
            String name = channelTable.getSelectionModel().getSelectedItem().name();
            act("Send a test to " + name, () -> {
                try {
                    app.alerts().sendTest(name);
                } catch (java.io.IOException ex) {
                    throw new dev.lifeboat.core.LifeboatException("Channel " + name + " did not take the test: " + ex.getMessage(), ex);
                }
                return "Test message sent to " + name + ".";
            });
        });
        status.setId("alerts-status");
        status.setWrapText(true);
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        VBox.setVgrow(alertTable, Priority.ALWAYS);
        root.getChildren().addAll(new HBox(8, ack, resolve, spacer, evaluate), alertTable, status,
                new HBox(8, new Label("Channels"), spacer(), test), channelTable);
        root.setPadding(new Insets(8));
    }

    private static Region spacer() {
        Region r = new Region();
        HBox.setHgrow(r, Priority.ALWAYS);
        return r;
    }

    /** A webhook URL carries its token in the path: show the host only. */
    private static String redact(String target) {
        return target.matches("https?://[^/]+/.+") ? target.replaceAll("(https?://[^/]+)/.*", "$1/…") : target;
    }

    public Node root() {
        return root;
    }

    public void attach(AppContext app, Jobs jobs) {
        this.app = app;
        this.jobs = jobs;
        reload();
    }

    /** Who hears of an alert that opened since the last load (the console's notices); not of those open at the first. */
    public void setOnNew(java.util.function.Consumer<Alert> listener) {
        this.onNew = listener == null ? a -> { } : listener;
    }

    private java.util.function.Consumer<Alert> onNew = a -> { };
    /** The ids of the alerts listed by the last load; null before the first. */
    private java.util.Set<Long> seen;

    public void reload() {
        if (app == null) {
            return;
        }
        jobs.load("Load alerts", p -> Map.entry(app.history().alerts().recent(200), app.history().alerts().channels()), r -> {
            Alert chosen = alertTable.getSelectionModel().getSelectedItem();
            if (seen != null) {
                r.getKey().stream().filter(a -> "open".equals(a.state()) && !seen.contains(a.id())).forEach(onNew);
            }
            seen = r.getKey().stream().map(Alert::id).collect(java.util.stream.Collectors.toSet());
            alerts.setAll(r.getKey());
            channels.setAll(r.getValue());
            if (chosen != null) {
                alerts.stream().filter(a -> a.id() == chosen.id()).findFirst().ifPresent(a -> alertTable.getSelectionModel().select(a));
            }
        }, e -> status.setText("Cannot read the alerts: " + e.getMessage()));
    }

    private void setState(boolean resolved) {
        Alert a = alertTable.getSelectionModel().getSelectedItem();
        act((resolved ? "Resolve" : "Acknowledge") + " alert " + a.id(), () -> {
            app.alerts().acknowledge(a.id(), resolved, app.actor());
            return "Alert " + a.id() + (resolved ? " resolved." : " acknowledged: it stays listed until its cause is gone.");
        });
    }

    private void act(String name, java.util.function.Supplier<String> work) {
        status.setText(name + "…");
        jobs.submit(name, p -> work.get(), message -> {
            status.setText(message);
            reload();
        }, e -> status.setText(name + " failed: " + e.getMessage()));
    }

    /** For tests: the alerts listed. */
    public List<Alert> shown() {
        return List.copyOf(alerts);
    }
}
