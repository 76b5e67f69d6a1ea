package dev.lifeboat.ui.shell;

import dev.lifeboat.core.fleet.StackDashboard;
import dev.lifeboat.core.status.Timeline;
import dev.lifeboat.ui.common.Background;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The stack chosen in the sidebar, with its dashboard and its timeline: read-only properties, read by
 * the core's use cases on {@link Background}. A result that arrives after another stack was chosen
 * is dropped, so a slow read never shows one stack's figures under another's name.
 */
public final class StackViewModel {
    /** A stack on a host. */
    public record StackRef(String host, String stack) {
        @Override
        public String toString() {
            return host + "/" + stack;
        }
    }

    /** Reads a stack's timeline over a window of time. */
    @FunctionalInterface
    public interface Timelines {
        Timeline read(String host, String stack, Instant from, Instant to);
    }

    /** Reads a stack's dashboard. */
    @FunctionalInterface
    public interface Dashboards {
        StackDashboard.View read(String host, String stack);
    }

    private final Dashboards dashboards;
    private final Timelines timelines;
    private final Background background;
    private final Clock clock;
    private final ReadOnlyObjectWrapper<StackRef> selected = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<StackDashboard.View> dashboard = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyBooleanWrapper loading = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper dashboardError = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<Timeline> timeline = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper timelineError = new ReadOnlyStringWrapper("");
    private Duration span = Duration.ofDays(30);

    public StackViewModel(Dashboards dashboards, Timelines timelines, Background background, Clock clock) {
        this.dashboards = dashboards;
        this.timelines = timelines;
        this.background = background;
        this.clock = clock;
    }

    /** Chooses a stack: its dashboard and timeline are read again. */
    public void select(String host, String stack) {
        StackRef ref = new StackRef(host, stack);
        selected.set(ref);
        dashboard.set(null);
        dashboardError.set("");
        loading.set(true);
        background.load("Dashboard " + ref, p -> dashboards.read(host, stack), d -> {
            if (ref.equals(selected.get())) {
                loading.set(false);
                dashboard.set(d);
            }
        }, e -> {
            if (ref.equals(selected.get())) {
                loading.set(false);
                dashboardError.set(message(e));
            }
        });
        loadTimeline();
    }

    /** Reads the chosen stack again (after a backup, a restore, an alert...). */
    public void reload() {
        StackRef ref = selected.get();
        if (ref != null) {
            select(ref.host(), ref.stack());
        }
    }

    /** The timeline shows the last {@code span} (null: fitted to the stack's data); it is read again for the chosen stack. */
    public void showSpan(Duration span) {
        this.span = span;
        loadTimeline();
    }

    private void loadTimeline() {
        StackRef ref = selected.get();
        if (ref == null) {
            return;
        }
        Instant to = clock.instant();
        Instant from = span == null ? null : to.minus(span);
        background.load("Timeline " + ref, p -> timelines.read(ref.host(), ref.stack(), from, to), t -> {
            if (ref.equals(selected.get())) {
                timelineError.set("");
                timeline.set(t);
            }
        }, e -> {
            if (ref.equals(selected.get())) {
                timelineError.set(message(e));
            }
        });
    }

    private static String message(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** The chosen stack, null before the first choice. */
    public ReadOnlyObjectProperty<StackRef> selectedProperty() {
        return selected.getReadOnlyProperty();
    }

    /** The chosen stack's dashboard, null while it is read or when it could not be. */
    public ReadOnlyObjectProperty<StackDashboard.View> dashboardProperty() {
        return dashboard.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty loadingProperty() {
        return loading.getReadOnlyProperty();
    }

    /** Why the dashboard could not be read, empty when it could. */
    public ReadOnlyStringProperty dashboardErrorProperty() {
        return dashboardError.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Timeline> timelineProperty() {
        return timeline.getReadOnlyProperty();
    }

    /** Why the timeline could not be read, empty when it could. */
    public ReadOnlyStringProperty timelineErrorProperty() {
        return timelineError.getReadOnlyProperty();
    }
}
