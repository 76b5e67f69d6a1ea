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
    public enum Scope { EVERYTHING, DATABASES, TABLE, REDIS }

    public enum Target { IN_PLACE, SANDBOX, OTHER_HOST }

    /** The stacks with recovery points, as host/stack, and the one chosen. */
    final ObservableList<String> stacks = FXCollections.observableArrayList();
    final StringProperty chosen = new SimpleStringProperty();
    final ObservableList<RecoveryPoint> points = FXCollections.observableArrayList();
    final ObjectProperty<RecoveryPoint> point = new SimpleObjectProperty<>();
    final ObjectProperty<Scope> scope = new SimpleObjectProperty<>(Scope.EVERYTHING);
    final StringProperty table = new SimpleStringProperty("");
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

    RestoreWizardModel(String host, String stack) {
        chosen.set(host == null || stack == null ? null : host + "/" + stack);
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
        };
    }

    /** Next is allowed from a step (0 is the stack, 1 the point, ...) when its choice is complete. */
    BooleanBinding stepComplete(int step) {
        return switch (step) {
            case 0 -> Bindings.createBooleanBinding(() -> chosen.get() != null && !points.isEmpty(), chosen, points);
            case 1 -> point.isNotNull();
            case 2 -> Bindings.createBooleanBinding(() -> scope.get() != Scope.TABLE || table.get().trim().matches("[^.\\s]+\\.[^\\s]+"),
                    scope, table);
            case 3 -> Bindings.createBooleanBinding(() -> target.get() != Target.OTHER_HOST || otherHost.get() != null, target, otherHost);
            case 4 -> validated.and(Bindings.createBooleanBinding(() -> true));
            case 5 -> plan.isNotNull().or(target.isEqualTo(Target.SANDBOX));
            default -> Bindings.createBooleanBinding(() -> false);
        };
    }
}
