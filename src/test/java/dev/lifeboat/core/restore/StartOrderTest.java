package dev.lifeboat.core.restore;

import dev.lifeboat.core.model.ContainerSpec;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StartOrderTest {
    private static ContainerSpec c(String name, String service, String dependsOn) {
        Map<String, String> labels = dependsOn == null ? Map.of(StartOrder.SERVICE, service)
                : Map.of(StartOrder.SERVICE, service, StartOrder.DEPENDS_ON, dependsOn);
        return new ContainerSpec(name, "img", null, null, null, null, labels, null, null, null, null, List.of(), null, true);
    }

    private static List<String> names(List<ContainerSpec> specs) {
        return specs.stream().map(ContainerSpec::name).toList();
    }

    @Test
    void databasesStartBeforeAppsWhateverTheRecordedOrder() {
        var order = StartOrder.of(List.of(c("p_app_1", "app", null), c("p_db_1", "db", null)), Set.of("p_db_1"));
        assertEquals(List.of("p_db_1", "p_app_1"), names(order));
    }

    @Test
    void composeDependsOnLabelOrdersAppsAmongThemselves() {
        var order = StartOrder.of(List.of(c("p_web_1", "web", "api:service_healthy:false"),
                c("p_api_1", "api", "worker:service_started:false"), c("p_worker_1", "worker", null)), Set.of());
        assertEquals(List.of("p_worker_1", "p_api_1", "p_web_1"), names(order));
    }

    @Test
    void aCycleKeepsTheRecordedOrderInsteadOfLosingContainers() {
        var order = StartOrder.of(List.of(c("a", "a", "b:service_started:false"), c("b", "b", "a:service_started:false")),
                Set.of());
        assertEquals(List.of("a", "b"), names(order));
    }
}
