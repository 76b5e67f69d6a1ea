package dev.lifeboat.ui.shell;

import dev.lifeboat.AppContext;
import dev.lifeboat.core.Progress;
import dev.lifeboat.core.history.DestinationRecord;
import dev.lifeboat.core.model.Host;
import dev.lifeboat.core.model.RecoveryPoint;
import dev.lifeboat.core.fleet.StackDashboard;
import dev.lifeboat.core.status.Timeline;
import dev.lifeboat.ui.common.Background;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The chosen stack's view model, with its work run inline or held back: no FX toolkit, no waiting. */
class StackViewModelTest {
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    @TempDir
    Path home;

    @Test
    void choosingAStackReadsItsDashboardAndTheTimelineOverTheZoomedSpan() {
        try (AppContext app = new AppContext(home)) {
            app.history().hosts().add(new Host("db1", "unix:///nonexistent/docker.sock", false));
            app.history().destinations().add(new DestinationRecord("nas", "local", home.resolve("nowhere").toString(), "/k", "abc"));
            for (int days : new int[] {2, 20}) {
                app.history().points().record(new RecoveryPoint("p" + days, "db1", "shop", "nas",
                        Instant.now().minus(Duration.ofDays(days)), "db1/shop/p" + days, 1 << 20, "backup"), "0".repeat(64));
            }
            StackViewModel vm = new StackViewModel(app.dashboard()::read, app::timeline, Background.inline(), Clock.systemUTC());
            vm.select("db1", "shop");
            assertEquals("db1/shop", vm.selectedProperty().get().toString());
            assertFalse(vm.loadingProperty().get());
            assertEquals("p2", vm.dashboardProperty().get().newest().id());
            assertEquals(2, vm.timelineProperty().get().entries().size(), "the last 30 days by default");

            vm.showSpan(Duration.ofDays(7));
            assertEquals(List.of("p2"), vm.timelineProperty().get().entries().stream().map(e -> e.id()).toList());
            assertEquals("", vm.dashboardErrorProperty().get());
        }
    }

    @Test
    void aSlowReadOfTheStackChosenBeforeIsNeverShownUnderTheNewOne() {
        HeldBack background = new HeldBack();
        StackViewModel vm = new StackViewModel((host, stack) -> dashboard(stack), StackViewModelTest::timeline, background,
                Clock.fixed(NOW, ZoneOffset.UTC));
        vm.select("db1", "slow");
        vm.select("db1", "fast");
        background.finishNewestFirst();
        assertEquals("fast", vm.dashboardProperty().get().health().reason(), "the first stack's late answer is dropped");
        assertEquals("fast", vm.timelineProperty().get().stack());
        assertFalse(vm.loadingProperty().get());
    }

    @Test
    void aDashboardThatCannotBeReadSaysWhyAndShowsNoFigures() {
        StackViewModel vm = new StackViewModel((host, stack) -> {
            throw new dev.lifeboat.core.LifeboatException("History query failed: connection closed");
        }, StackViewModelTest::timeline, Background.inline(), Clock.fixed(NOW, ZoneOffset.UTC));
        vm.select("db1", "shop");
        assertNull(vm.dashboardProperty().get());
        assertFalse(vm.loadingProperty().get());
        assertTrue(vm.dashboardErrorProperty().get().contains("connection closed"), vm.dashboardErrorProperty().get());
    }

    private static StackDashboard.View dashboard(String stack) {
        return new StackDashboard.View(health(stack), null, java.util.Map.of(), 0, null, null, null, null, null, null, List.of(),
                java.util.Map.of(),
                "not scheduled", "", List.of(), List.of());
    }

    private static dev.lifeboat.core.status.StackHealth health(String stack) {
        return new dev.lifeboat.core.status.StackHealth("db1", stack, dev.lifeboat.core.status.StackHealth.Level.GREEN, stack,
                null, null, Duration.ofDays(1));
    }

    private static Timeline timeline(String host, String stack, Instant from, Instant to) {
        return new Timeline(host, stack, from, to, List.of(), List.of(), List.of(), List.of());
    }

    /** Work held until the test lets it finish, in the order it chooses. */
    private static final class HeldBack implements Background {
        private final Deque<Runnable> held = new ArrayDeque<>();

        @Override
        public <T> void run(String name, Function<Progress, T> work, Consumer<T> done, Consumer<Throwable> failed) {
            held.add(() -> done.accept(work.apply(Progress.NONE)));
        }

        void finishNewestFirst() {
            while (!held.isEmpty()) {
                held.pollLast().run();
            }
        }
    }
}
