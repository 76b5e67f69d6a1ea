package dev.lifeboat.core.restore;

import dev.lifeboat.core.model.ContainerSpec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The order a stack's containers start in: each after what it depends on. Dependencies come from
 * compose's {@code com.docker.compose.depends_on} label ({@code service:condition:restart,...}, written by
 * Compose v2) and, for every stack, from the rule that databases start before apps. Containers with
 * no order between them keep their recorded order; a cycle (which compose refuses too) falls back to it.
 */
final class StartOrder {
    static final String DEPENDS_ON = "com.docker.compose.depends_on";
    static final String SERVICE = "com.docker.compose.service";

    private StartOrder() {
    }

    static List<ContainerSpec> of(List<ContainerSpec> specs, Set<String> databases) {
        Map<String, List<ContainerSpec>> byService = new HashMap<>();
        for (ContainerSpec c : specs) {
            if (c.label(SERVICE) != null) {
                byService.computeIfAbsent(c.label(SERVICE), k -> new ArrayList<>()).add(c);
            }
        }
        Map<String, Set<String>> needs = new HashMap<>();
        for (ContainerSpec c : specs) {
            Set<String> before = new LinkedHashSet<>();
            if (!databases.contains(c.name())) {
                specs.stream().filter(d -> databases.contains(d.name())).forEach(d -> before.add(d.name()));
            }
            String deps = c.label(DEPENDS_ON);
            if (deps != null) {
                for (String dep : deps.split(",")) {
                    String service = dep.split(":", 2)[0].trim();
                    byService.getOrDefault(service, List.of()).forEach(d -> before.add(d.name()));
                }
            }
            before.remove(c.name());
            needs.put(c.name(), before);
        }
        List<ContainerSpec> out = new ArrayList<>();
        Set<String> started = new LinkedHashSet<>();
        List<ContainerSpec> left = new ArrayList<>(specs);
        while (!left.isEmpty()) {
            ContainerSpec next = left.stream().filter(c -> started.containsAll(needs.get(c.name()))).findFirst()
                    .orElse(left.get(0)); // a cycle: keep the recorded order
            out.add(next);
            started.add(next.name());
            left.remove(next);
        }
        return out;
    }
}
