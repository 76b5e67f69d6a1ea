package dev.lifeboat.ui.restorewizard;

import dev.lifeboat.core.model.Host;
import dev.lifeboat.core.model.RecoveryPoint;
import dev.lifeboat.core.restore.ConfirmationPolicy;
import dev.lifeboat.core.restore.RestorePlan;
import dev.lifeboat.core.asset.RestoreScope;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.List;

/**
 * The restore wizard's shared state, one object per wizard. The confirmation rule is the core's:
 * on a production target only the exact phrase enables Restore; elsewhere a checkbox does.
 */
public final class RestoreWizardModel {
    public enum Scope { EVERYTHING, DATABASES, TABLE, REDIS, PARTS, MOMENT }

    public enum Target { IN_PLACE, SANDBOX, OTHER_HOST }

    /** The stacks with recovery points, as host/stack, and the one chosen. */
    final ObservableList<String> stacks = FXCollections.observableArrayList();
    final StringProperty chosen = new SimpleStringProperty();
    final ObservableList<RecoveryPoint> points = FXCollections.observableArrayList();
    final ObjectProperty<RecoveryPoint> point = new SimpleObjectProperty<>();
    final ObjectProperty<Scope> scope = new SimpleObjectProperty<>(Scope.EVERYTHING);
    final StringProperty table = new SimpleStringProperty("");
    /** What the chosen point offers to a restore of parts ({@code postgres:shop}, {@code volume:uploads}), and those ticked. */
    final ObservableList<String> offers = FXCollections.observableArrayList();
    final ObservableList<String> parts = FXCollections.observableArrayList();
    final ObjectProperty<Target> target = new SimpleObjectProperty<>(Target.IN_PLACE);
    final ObservableList<Host> hosts = FXCollections.observableArrayList();
    final ObjectProperty<Host> otherHost = new SimpleObjectProperty<>();
    final ObjectProperty<RestorePlan> plan = new SimpleObjectProperty<>();
    final StringProperty validation = new SimpleStringProperty("");
    final BooleanProperty validated = new SimpleBooleanProperty(false);
    final StringProperty typed = new SimpleStringProperty("");
    final BooleanProperty acknowledged = new SimpleBooleanProperty(false);
    final StringProperty phase = new SimpleStringProperty("");
    final StringProperty result = new SimpleStringProperty("");
    final BooleanProperty done = new SimpleBooleanProperty(false);
    /** Point-in-time recovery: the moments each PostgreSQL asset that ships its WAL can be restored to. */
    final ObservableList<dev.lifeboat.core.pitr.Coverage> coverages = FXCollections.observableArrayList();
    final ObjectProperty<dev.lifeboat.core.pitr.Coverage> walAsset = new SimpleObjectProperty<>();
    final ObjectProperty<java.time.Instant> moment = new SimpleObjectProperty<>();
    /** The base backup and WAL a restore to the moment starts from, once validation found them. */
    final ObjectProperty<dev.lifeboat.core.pitr.PitrRestore.Plan> momentPlan = new SimpleObjectProperty<>();

    RestoreWizardModel(String host, String stack) {
        chosen.set(host == null || stack == null ? null : host + "/" + stack);
    }

    /** What is wrong with a table typed for a one-table restore, or null. */
    static String tableProblem(String table) {
        return table.trim().matches("[^.\\s]+\\.[^\\s]+") ? null : "DATABASE.TABLE, e.g. shop.orders (or shop.public.orders)";
    }

    String host() {
        return chosen.get() == null ? null : chosen.get().substring(0, chosen.get().indexOf('/'));
    }

    String stack() {
        return chosen.get() == null ? null : chosen.get().substring(chosen.get().indexOf('/') + 1);
    }

    /** The host the restore lands on. */
    Host targetHost(List<Host> known) {
        String name = target.get() == Target.OTHER_HOST && otherHost.get() != null ? otherHost.get().name() : host();
        return known.stream().filter(h -> h.name().equals(name)).findFirst().orElse(new Host(name, "", false));
    }

    boolean production() {
        return target.get() != Target.SANDBOX && targetHost(hosts).production();
    }

    /** Restore is enabled only when the confirmation matches the target's rule, exactly. */
    BooleanBinding canRestore() {
        return Bindings.createBooleanBinding(() -> production()
                        ? ConfirmationPolicy.accepts(targetHost(hosts), typed.get())
                        : acknowledged.get(),
                typed, acknowledged, target, otherHost, hosts);
    }

    RestoreScope restoreScope() {
        return switch (scope.get()) {
            case EVERYTHING -> RestoreScope.ALL;
            case DATABASES -> new RestoreScope(List.of("postgres"));
            case REDIS -> new RestoreScope(List.of("redis"));
            case TABLE -> new RestoreScope(List.of("postgres:" + table.get().trim()));
            case PARTS -> new RestoreScope(List.copyOf(parts));
            case MOMENT -> new RestoreScope(List.of(walAsset.get() == null ? "postgres" : walAsset.get().asset()));
        };
    }

    /** Whether the restore brings one PostgreSQL asset back to a moment (from its base backup and shipped WAL). */
    boolean toAMoment() {
        return scope.get() == Scope.MOMENT;
    }

    /** The container of the asset restored to a moment ({@code postgres:NAME}: NAME). */
    String momentContainer() {
        return walAsset.get() == null ? null : walAsset.get().asset().substring("postgres:".length());
    }

    /** The chosen moment is one the chosen asset's base backups and WAL reach. */
    boolean momentReachable() {
        return walAsset.get() != null && moment.get() != null && walAsset.get().covers(moment.get());
    }

    /** Next is allowed from a step (0 is the stack, 1 the point, ...) when its choice is complete. */
    BooleanBinding stepComplete(int step) {
        return switch (step) {
            case 0 -> Bindings.createBooleanBinding(() -> chosen.get() != null && !points.isEmpty(), chosen, points);
            case 1 -> point.isNotNull();
            case 2 -> Bindings.createBooleanBinding(() -> switch (scope.get()) {
                case TABLE -> !table.get().isBlank() && tableProblem(table.get()) == null;
                case PARTS -> !parts.isEmpty() && offers.containsAll(parts);
                case MOMENT -> momentReachable();
                default -> true;
            }, scope, table, walAsset, moment, parts, offers);
            // a restore to a moment replaces the live server's data: in place only
            case 3 -> Bindings.createBooleanBinding(() -> scope.get() == Scope.MOMENT ? target.get() == Target.IN_PLACE
                    : target.get() != Target.OTHER_HOST || otherHost.get() != null, target, otherHost, scope);
            case 4 -> validated.and(Bindings.createBooleanBinding(() -> true));
            case 5 -> Bindings.createBooleanBinding(() -> toAMoment() ? momentPlan.get() != null
                    : plan.get() != null || target.get() == Target.SANDBOX, plan, target, scope, momentPlan);
            default -> Bindings.createBooleanBinding(() -> false);
        };
    }
}
