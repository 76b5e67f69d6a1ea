package dev.lifeboat.ui.planwizard;

import dev.lifeboat.core.history.DestinationRecord;
import dev.lifeboat.core.model.RetentionPolicy;
import dev.lifeboat.core.model.StackSettings;
import dev.lifeboat.core.model.BackupPlan;
import dev.lifeboat.core.schedule.PlanService;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The backup-plan wizard's state, one object per wizard: the stack and its ticked assets, the
 * schedules, retention, destinations (an existing one, or a new local directory with a new or imported
 * key), the RTO/RPO targets and the plan's name. {@link #plan()} is the core's {@link BackupPlan}.
 */
public final class PlanWizardModel {
    /** Schedule presets; the last one lets the admin type a cron expression. */
    static final Map<String, String> SCHEDULES = new LinkedHashMap<>();
    /** Retention presets (daily / weekly / monthly). */
    static final Map<String, int[]> RETENTION = new LinkedHashMap<>();
    static final String CUSTOM = "Custom (cron)";

    static {
        SCHEDULES.put("Every 6 hours", BackupPlan.DEFAULT_BACKUP);
        SCHEDULES.put("Every hour", "0 * * * *");
        SCHEDULES.put("Every 12 hours", "0 */12 * * *");
        SCHEDULES.put("Daily at 02:00", "0 2 * * *");
        SCHEDULES.put(CUSTOM, null);
        RETENTION.put("GFS 7 daily / 4 weekly / 12 monthly (recommended)", new int[] {7, 4, 12});
        RETENTION.put("Short: 7 daily / 4 weekly", new int[] {7, 4, 0});
        RETENTION.put("Long: 14 daily / 8 weekly / 24 monthly", new int[] {14, 8, 24});
        RETENTION.put("Custom", null);
    }

    final ObservableList<String> hosts = FXCollections.observableArrayList();
    final StringProperty host = new SimpleStringProperty();
    final ObservableList<String> stacks = FXCollections.observableArrayList();
    final StringProperty stack = new SimpleStringProperty();
    /** Discovered assets of the stack and whether each is ticked. */
    final ObservableList<String> assets = FXCollections.observableArrayList();
    final ObservableList<String> ticked = FXCollections.observableArrayList();
    /** What each discovered asset is (databases, data file, mounts, directory), by name. */
    final Map<String, String> descriptions = new java.util.concurrent.ConcurrentHashMap<>();
    final StringProperty discovery = new SimpleStringProperty("");

    final StringProperty schedulePreset = new SimpleStringProperty("Every 6 hours");
    final StringProperty backupCron = new SimpleStringProperty(BackupPlan.DEFAULT_BACKUP);
    final StringProperty zone = new SimpleStringProperty(ZoneId.systemDefault().getId());
    final BooleanProperty restoreTest = new SimpleBooleanProperty(true);

    final StringProperty retentionPreset = new SimpleStringProperty(RETENTION.keySet().iterator().next());
    final IntegerProperty daily = new SimpleIntegerProperty(7);
    final IntegerProperty weekly = new SimpleIntegerProperty(4);
    final IntegerProperty monthly = new SimpleIntegerProperty(12);

    final ObservableList<DestinationRecord> destinations = FXCollections.observableArrayList();
    /** The primary: an existing destination, or null for a new local directory. */
    final ObjectProperty<DestinationRecord> primary = new SimpleObjectProperty<>();
    final BooleanProperty newDestination = new SimpleBooleanProperty(false);
    final StringProperty newName = new SimpleStringProperty("disk");
    final StringProperty newDir = new SimpleStringProperty("");
    final ObservableList<String> copies = FXCollections.observableArrayList();

    /** A new key for a new destination (else an imported key file). */
    final BooleanProperty createKey = new SimpleBooleanProperty(true);
    final StringProperty keyFile = new SimpleStringProperty("");
    final BooleanProperty keyStoredSafely = new SimpleBooleanProperty(false);

    final StringProperty rto = new SimpleStringProperty(StackSettings.format(StackSettings.DEFAULT_RTO));
    final StringProperty rpo = new SimpleStringProperty(StackSettings.format(StackSettings.DEFAULT_RPO));
    final StringProperty name = new SimpleStringProperty("");
    /** Ship the WAL of the stack's PostgreSQL continuously to the primary destination (point-in-time recovery, ADR 24). */
    final BooleanProperty pitr = new SimpleBooleanProperty(false);

    /** Whether the stack has a PostgreSQL asset whose WAL can be shipped. */
    boolean hasPostgres() {
        return assets.stream().anyMatch(a -> a.startsWith("postgres:"));
    }

    PlanWizardModel() {
        schedulePreset.addListener((o, a, b) -> {
            if (SCHEDULES.get(b) != null) {
                backupCron.set(SCHEDULES.get(b));
            }
        });
        retentionPreset.addListener((o, a, b) -> {
            int[] r = RETENTION.get(b);
            if (r != null) {
                daily.set(r[0]);
                weekly.set(r[1]);
                monthly.set(r[2]);
            }
        });
        stack.addListener((o, a, b) -> {
            if (b != null && (name.get().isEmpty() || name.get().equals(a))) {
                name.set(b);
            }
        });
    }

    /** The next five backups, or the reason the schedule is not valid. */
    Map.Entry<List<Instant>, String> nextRuns() {
        try {
            return Map.entry(PlanService.nextRuns(backupCron.get().trim(), zone.get().trim(), Instant.now(), 5), "");
        } catch (RuntimeException e) {
            return Map.entry(List.of(), e.getMessage());
        }
    }

    static Optional<Duration> duration(String text) {
        try {
            Duration d = StackSettings.parseDuration(text);
            return d.isNegative() || d.isZero() ? Optional.empty() : Optional.of(d);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    String destinationName() {
        return newDestination.get() ? newName.get().trim() : primary.get() == null ? null : primary.get().name();
    }

    BackupPlan plan() {
        return new BackupPlan(name.get().trim(), host.get(), stack.get(), destinationName(), List.copyOf(copies),
                new RetentionPolicy(0, daily.get(), weekly.get(), monthly.get(), 0), backupCron.get().trim(),
                restoreTest.get() ? BackupPlan.DEFAULT_VERIFY : null, restoreTest.get(), BackupPlan.DEFAULT_PRUNE, zone.get().trim(),
                ticked.size() == assets.size() ? List.of() : List.copyOf(ticked));
    }

    BooleanBinding stackComplete() {
        return Bindings.createBooleanBinding(() -> stack.get() != null && !ticked.isEmpty(), stack, ticked);
    }

    BooleanBinding scheduleComplete() {
        return Bindings.createBooleanBinding(() -> !nextRuns().getKey().isEmpty(), backupCron, zone);
    }

    BooleanBinding retentionComplete() {
        return Bindings.createBooleanBinding(() -> daily.get() + weekly.get() + monthly.get() > 0, daily, weekly, monthly);
    }

    BooleanBinding destinationComplete() {
        return Bindings.createBooleanBinding(() -> newDestination.get()
                        ? newName.get().trim().matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}")
                        && destinations.stream().noneMatch(d -> d.name().equals(newName.get().trim()))
                        && newDir.get().trim().startsWith("/")
                        : primary.get() != null && !copies.contains(primary.get().name()),
                newDestination, newName, newDir, primary, copies, destinations);
    }

    /** What is at {@link #keyFile} on disk, found out on a worker (never on the FX thread); null until known. */
    final javafx.beans.property.ObjectProperty<KeyFileState> keyFileState = new javafx.beans.property.SimpleObjectProperty<>();

    enum KeyFileState { ABSENT, FILE, OTHER }

    /** What is at {@code file}: reads the disk, so call it on a worker. */
    static KeyFileState stat(String file) {
        Path p = Path.of(file);
        return Files.isRegularFile(p) ? KeyFileState.FILE : Files.exists(p) ? KeyFileState.OTHER : KeyFileState.ABSENT;
    }

    BooleanBinding keyComplete() {
        return Bindings.createBooleanBinding(() -> !newDestination.get() || !keyFile.get().isBlank() && (createKey.get()
                        ? keyFileState.get() == KeyFileState.ABSENT && keyStoredSafely.get()
                        : keyFileState.get() == KeyFileState.FILE),
                newDestination, createKey, keyFile, keyFileState, keyStoredSafely);
    }

    BooleanBinding targetsComplete() {
        return Bindings.createBooleanBinding(() -> duration(rto.get()).isPresent() && duration(rpo.get()).isPresent(), rto, rpo);
    }

    BooleanBinding reviewComplete() {
        return Bindings.createBooleanBinding(() -> name.get().trim().matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}"), name);
    }
}
