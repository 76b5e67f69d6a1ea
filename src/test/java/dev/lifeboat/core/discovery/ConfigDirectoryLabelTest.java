package dev.lifeboat.core.discovery;

import dev.lifeboat.core.model.ContainerSpec;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A label can narrow the config directory to a part of the project, never point Lifeboat (root) elsewhere. */
class ConfigDirectoryLabelTest {
    private static ContainerSpec container(String workingDir, String configLabel) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(StackDiscovery.PROJECT, "shop");
        if (workingDir != null) {
            labels.put(StackDiscovery.WORKING_DIR, workingDir);
        }
        if (configLabel != null) {
            labels.put(StackDiscovery.CONFIG_DIR, configLabel);
        }
        return new ContainerSpec("shop_app_1", "img", null, null, null, null, labels, null, null, null, null, List.of(),
                null, true);
    }

    @Test
    void anImageLabelPointingAtEtcIsIgnoredForTheProjectDirectory() {
        assertEquals(Optional.of("/srv/shop"), StackDiscovery.configDirectory(List.of(container("/srv/shop", "/etc"))));
    }

    @Test
    void aLabelClimbingOutOfTheProjectIsIgnored() {
        assertEquals(Optional.of("/srv/shop"),
                StackDiscovery.configDirectory(List.of(container("/srv/shop", "/srv/shop/../../etc"))));
        assertEquals(Optional.of("/srv/shop"), StackDiscovery.configDirectory(List.of(container("/srv/shop", "/srv/shopping"))));
    }

    @Test
    void aLabelMayNarrowToADirectoryInsideTheProject() {
        assertEquals(Optional.of("/srv/shop/config"),
                StackDiscovery.configDirectory(List.of(container("/srv/shop", "/srv/shop/config"))));
    }

    @Test
    void withoutAProjectDirectoryALabelAloneChoosesNothing() {
        assertEquals(Optional.empty(), StackDiscovery.configDirectory(List.of(container(null, "/etc"))));
        assertEquals(Optional.empty(), StackDiscovery.configDirectory(List.of(container("/", null))));
    }
}
