package dev.lifeboat.ui.pointdetails;

import dev.lifeboat.AppContext;
import dev.lifeboat.core.Units;
import dev.lifeboat.core.history.RunRecord;
import dev.lifeboat.core.model.Artifact;
import dev.lifeboat.core.model.AssetRecord;
import dev.lifeboat.core.model.Manifest;
import dev.lifeboat.core.model.RecoveryPoint;
import dev.lifeboat.core.storage.PointLocator;
import dev.lifeboat.core.storage.Replicator;
import dev.lifeboat.ui.common.Forms;
import dev.lifeboat.ui.common.Jobs;
import dev.lifeboat.ui.common.Theme;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.geometry.Insets;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import javafx.stage.Window;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One recovery point, opened from the timeline: its assets and artifacts (sizes, SHA-256 at rest)
 * read from its signed manifest, the destinations holding it, and every verify, restore test, restore
 * and copy that touched it; with Verify, Test-restore, Restore and Replicate, each the core's own
 * service in the background.
 */
public final class PointDetails {
    /** One artifact row of the manifest. */
    public record ArtifactRow(String asset, String file, long plainBytes, long storedBytes, String sha256) {
    }

    private final AppContext app;
    private final Jobs jobs;
    private final String pointId;
    private final String host;
    private final String stack;
    private final Stage stage = new Stage();
    private final Label header = new Label();
    private final Label status = new Label();
    private final ObservableList<ArtifactRow> artifacts = FXCollections.observableArrayList();
    private final ObservableList<RunRecord> runs = FXCollections.observableArrayList();
    private final ObservableList<String> holders = FXCollections.observableArrayList();
    private final ComboBox<String> replicaTarget = new ComboBox<>();
    private final Button verify = new Button("Verify");
    private final Button test = new Button("Test-restore");
    private final Button restore = new Button("Restore…");
    private final Button replicate = new Button("Replicate");

    public PointDetails(Window owner, AppContext app, Jobs jobs, String host, String stack, String pointId,
                        Consumer<String> openRestore, Runnable changed) {
        this.app = app;
        this.host = host;
        this.stack = stack;
        this.jobs = jobs;
        this.pointId = pointId;
        stage.initOwner(owner);
        stage.setTitle("Recovery point " + pointId);
        header.getStyleClass().add("section-title");
        header.setText(pointId);
        status.setId("point-status");
        status.setWrapText(true);
        verify.setId("point-verify");
        test.setId("point-test-restore");
        restore.setId("point-restore");
        replicate.setId("point-replicate");
        replicaTarget.setId("point-replica-target");
        replicaTarget.setPromptText("to destination");
        replicate.disableProperty().bind(replicaTarget.valueProperty().isNull());
        verify.setOnAction(e -> run("Verify " + pointId, "verify", p -> verify(app, pointId, p), changed));
        test.setOnAction(e -> run("Test-restore " + pointId, "restore-test", p -> testRestore(app, pointId, p), changed));
        restore.setOnAction(e -> openRestore.accept(pointId));
        replicate.setOnAction(e -> {
            String to = replicaTarget.getValue();
            run("Replicate " + pointId + " to " + to, "replicate", p -> {
                RecoveryPoint copy = new Replicator(app.repositories()).replicate(pointId, to, p);
                return "Copied to " + to + " and read back: " + copy.location();
            }, changed);
        });
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox actions = new HBox(8, verify, test, restore, spacer, replicaTarget, replicate);
        VBox top = new VBox(8, header, status);
        BorderPane root = new BorderPane();
        root.setTop(top);
        root.setCenter(new VBox(10, new Label("Artifacts (from the signed manifest)"), artifactTable(),
                new Label("Held by"), holdersView(), new Label("Runs that touched it"), runTable()));
        root.setBottom(actions);
        BorderPane.setMargin(actions, new Insets(10, 0, 0, 0));
        root.setPadding(new Insets(12));
        Scene scene = new Scene(root, 900, 640);
        scene.getStylesheets().add(Theme.stylesheet());
        stage.setScene(scene);
        load();
    }

    public Stage stage() {
        return stage;
    }

    /** The outcome line of the last action (or what is loading). */
    public String status() {
        return status.getText();
    }

    private void run(String name, String kind, Function<dev.lifeboat.core.Progress, String> work, Runnable changed) {
        status.setText(name + "…");
        setBusy(true);
        jobs.submit(name, () -> app.history().runs().typicalDuration(kind, host, stack).orElse(null), work, message -> {
            status.setText(message);
            setBusy(false);
            load();
            changed.run();
        }, e -> {
            status.setText(name + " failed: " + e.getMessage());
            setBusy(false);
            load();
        });
    }

    private void setBusy(boolean busy) {
        verify.setDisable(busy);
        test.setDisable(busy);
        restore.setDisable(busy);
        replicaTarget.setDisable(busy);
    }

    private void load() {
        jobs.load("Point " + pointId, p -> {
            List<RecoveryPoint> copies = app.history().points().withId(pointId);
            Manifest m;
            try (PointLocator.Located located = new PointLocator(app.repositories()).locate(pointId)) {
                m = located.manifest();
            }
            List<String> others = app.history().destinations().all().stream().map(d -> d.name())
                    .filter(d -> copies.stream().noneMatch(c -> c.destination().equals(d))).toList();
            return Map.entry(Map.entry(copies, m), Map.entry(others, app.history().runs().ofPoint(pointId)));
        }, r -> {
            List<RecoveryPoint> copies = r.getKey().getKey();
            Manifest m = r.getKey().getValue();
            header.setText(pointId + "  ·  " + m.host() + "/" + m.stack() + "  ·  " + m.startedAt().toString().substring(0, 19)
                    .replace('T', ' ') + " UTC  ·  " + Units.bytes(m.storedBytes()) + " stored, key " + m.keyId());
            holders.setAll(copies.stream().map(c -> c.destination() + "  " + c.location()).toList());
            replicaTarget.getItems().setAll(r.getValue().getKey());
            runs.setAll(r.getValue().getValue());
            artifacts.clear();
            for (AssetRecord a : m.assets()) {
                for (Artifact x : a.artifacts()) {
                    artifacts.add(new ArtifactRow(a.name(), x.file(), x.plainBytes(), x.storedBytes(), x.storedSha256()));
                }
            }
        }, e -> status.setText("Cannot read the point's manifest: " + e.getMessage()));
    }

    private TableView<ArtifactRow> artifactTable() {
        TableView<ArtifactRow> t = new TableView<>(artifacts);
        t.setId("point-artifacts");
        t.setPrefHeight(200);
        Forms.column(t, "Asset", ArtifactRow::asset);
        Forms.column(t, "File", ArtifactRow::file);
        Forms.column(t, "Size", r -> Units.bytes(r.plainBytes()));
        Forms.column(t, "Stored", r -> Units.bytes(r.storedBytes()));
        Forms.column(t, "SHA-256 (stored)", ArtifactRow::sha256);
        t.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        return t;
    }

    private javafx.scene.Node holdersView() {
        javafx.scene.control.ListView<String> l = new javafx.scene.control.ListView<>(holders);
        l.setId("point-holders");
        l.setPrefHeight(60);
        return l;
    }

    private TableView<RunRecord> runTable() {
        TableView<RunRecord> t = new TableView<>(runs);
        t.setId("point-runs");
        t.setPrefHeight(150);
        Forms.column(t, "Started", r -> r.startedAt().toString().substring(0, 19).replace('T', ' '));
        Forms.column(t, "Kind", RunRecord::kind);
        Forms.column(t, "Status", RunRecord::status);
        Forms.column(t, "Message", RunRecord::message);
        t.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        t.setPlaceholder(Forms.hint("Not verified or test-restored yet."));
        return t;
    }

    /** Verifies a point (on a worker) and says how it went in one line; also the dashboard's "Verify now". */
    public static String verify(AppContext app, String pointId, dev.lifeboat.core.Progress p) {
        var r = app.verifier().verify(pointId, p);
        return r.ok() ? "Verified: " + r.checks().size() + " checks passed (checksums, decryption, structure)."
                : "Verification FAILED: " + r.failures().get(0).artifact() + ": " + r.failures().get(0).detail();
    }

    /** Test-restores a point in a sandbox (on a worker) and says how it went in one line; also the dashboard's. */
    public static String testRestore(AppContext app, String pointId, dev.lifeboat.core.Progress p) {
        var r = app.restoreTests().test(pointId, null, p);
        long passed = r.checks().stream().filter(c -> c.ok()).count();
        return (r.ok() ? "Restore test passed: " : "Restore test FAILED: ") + passed + " of " + r.checks().size()
                + " checks in a sandbox, " + String.format(Locale.ROOT, "%.1f s", r.durationMs() / 1000.0)
                + r.checks().stream().filter(c -> !c.ok()).findFirst().map(c -> "; " + c.name() + ": " + c.detail()).orElse("");
    }
}
