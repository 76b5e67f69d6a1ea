package dev.lifeboat.ui.shell;

import dev.lifeboat.AppContext;
import dev.lifeboat.core.history.DestinationRecord;
import dev.lifeboat.core.model.Host;
import dev.lifeboat.core.model.RecoveryPoint;
import dev.lifeboat.ui.common.Background;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fleet's view model with its work run inline: no FX toolkit, no waiting. */
class FleetViewModelTest {
    @TempDir
    Path home;

    @Test
    void aReadFillsTheStatusTheFleetLineTheStacksAndTheActivity() {
        try (AppContext app = new AppContext(home)) {
            app.history().hosts().add(new Host("db1", "unix:///nonexistent/docker.sock", false));
            app.history().destinations().add(new DestinationRecord("nas", "local", home.resolve("nowhere").toString(), "/k", "abc"));
            app.history().points().record(new RecoveryPoint("p1", "db1", "shop", "nas", Instant.now().minus(Duration.ofHours(1)),
                    "db1/shop/p1", 1 << 20, "backup"), "0".repeat(64));
            app.history().runs().audit("ada", "host-add", "db1", "unix:///nonexistent/docker.sock");
            FleetViewModel vm = new FleetViewModel(app.fleet(), Background.inline());
            vm.reload();
            assertTrue(vm.statusProperty().get().startsWith("1 hosts, 1 destinations, 1 recovery points · not reachable: db1"),
                    vm.statusProperty().get());
            assertEquals(List.of("db1/shop"), vm.fleetProperty().get().stacks().stream().map(s -> s.host() + "/" + s.stack()).toList(),
                    "a stack the history knows stays listed while its host does not answer");
            assertTrue(vm.lineProperty().get().startsWith("Fleet: 1 stack · 0 healthy · 1 late or unverified"), vm.lineProperty().get());
            assertEquals("No agent running", vm.agentProperty().get());
            assertEquals("host-add", vm.activity().get(0).kind());
            assertEquals("", vm.errorProperty().get());
        }
    }

    @Test
    void aHistoryThatCannotBeReadIsSaidInTheStatusAndTheError() {
        AppContext app = new AppContext(home);
        FleetViewModel vm = new FleetViewModel(app.fleet(), Background.inline());
        app.close(); // the history is closed under the view model
        vm.reload();
        assertTrue(vm.statusProperty().get().startsWith("Cannot read the history: "), vm.statusProperty().get());
        assertTrue(!vm.errorProperty().get().isEmpty());
        assertEquals(null, vm.fleetProperty().get());
    }
}
