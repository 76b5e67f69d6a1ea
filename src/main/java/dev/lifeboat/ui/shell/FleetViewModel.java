package dev.lifeboat.ui.shell;

import dev.lifeboat.core.fleet.FleetOverview;
import dev.lifeboat.core.history.RunRecord;
import dev.lifeboat.ui.common.Background;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The main window's fleet: hosts and stacks for the sidebar, the status line, the agent badge, the
 * fleet line and the activity. Read-only properties, filled by the {@link FleetOverview} use case on
 * {@link Background}; it never touches the history itself.
 */
public final class FleetViewModel {
    private final FleetOverview overview;
    private final Background background;
    private final ReadOnlyObjectWrapper<FleetOverview.Fleet> fleet = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper agent = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper line = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper("");
    private final ObservableList<RunRecord> activity = FXCollections.observableArrayList();
    private final ObservableList<RunRecord> activityView = FXCollections.unmodifiableObservableList(activity);

    public FleetViewModel(FleetOverview overview, Background background) {
        this.overview = overview;
        this.background = background;
    }

    /** Reads the fleet again (hosts asked within the last minute are not asked again). */
    public void reload() {
        background.load("Load hosts and stacks", overview::read, f -> {
            error.set("");
            status.set(f.status());
            agent.set(f.agent());
            line.set(f.line());
            activity.setAll(f.activity());
            fleet.set(f);
        }, e -> {
            error.set(e.getMessage() == null ? e.toString() : e.getMessage());
            status.set("Cannot read the history: " + error.get());
        });
    }

    /** Asks every host again, then reloads. */
    public void refresh() {
        overview.forgetHosts();
        reload();
    }

    /** The last fleet read, null before the first one. */
    public ReadOnlyObjectProperty<FleetOverview.Fleet> fleetProperty() {
        return fleet.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty agentProperty() {
        return agent.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty lineProperty() {
        return line.getReadOnlyProperty();
    }

    /** Why the last read failed, empty when it did not. */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    public ObservableList<RunRecord> activity() {
        return activityView;
    }
}
