package dev.lifeboat.core.asset;

import dev.lifeboat.core.model.ContainerSpec;
import dev.lifeboat.core.model.MountSpec;
import dev.lifeboat.core.model.NetworkSpec;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifeboat.core.model.VolumeSpec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where a restore lands: the stack itself ({@link #IN_PLACE}), or an isolated {@link Sandbox} copy
 * whose containers and volumes have their own names and labels and no network.
 */
public interface RestoreTarget {
    /** The name of the container that stands for the recorded container {@code name}. */
    String container(String name);

    /** The name of the volume that stands for the recorded volume {@code name}. */
    String volume(String name);

    /** The spec to create, from the recorded one. */
    ContainerSpec spec(ContainerSpec recorded);

    VolumeSpec volumeSpec(VolumeSpec recorded);

    /** Where the recorded config directory {@code dir} is written. */
    String configDir(String dir);

    /** The networks to create for the recorded ones. */
    default List<NetworkSpec> networks(List<NetworkSpec> recorded) {
        return recorded;
    }

    /** Labels for the helper containers a restore creates, besides the run's. */
    Map<String, String> labels();

    /** The stack's own containers, volumes and config directory. */
    RestoreTarget IN_PLACE = new RestoreTarget() {
        @Override
        public String container(String name) {
            return name;
        }

        @Override
        public String volume(String name) {
            return name;
        }

        @Override
        public ContainerSpec spec(ContainerSpec recorded) {
            return recorded;
        }

        @Override
        public VolumeSpec volumeSpec(VolumeSpec recorded) {
            return recorded;
        }

        @Override
        public String configDir(String dir) {
            return dir;
        }

        @Override
        public Map<String, String> labels() {
            return Map.of();
        }
    };

    /**
     * A throwaway copy: containers {@code lbx-<id>-<name>}, volumes {@code lbx-<id>-<volume>}, all
     * labelled {@code lifeboat.sandbox=<id>} and stripped of their Compose labels (so discovery never
     * mistakes them for the stack), on an internal network of their own with the recorded aliases (or
     * network {@code none} for points recorded without their engine configuration), no published ports,
     * no restart policy. Bind mounts from the
     * config directory point into the sandbox's own copy of it; other bind mounts are dropped, so a
     * sandbox can never write to the host's live files.
     */
    record Sandbox(String id, String configRoot, String recordedConfigDir) implements RestoreTarget {
        public static final String LABEL = "lifeboat.sandbox";

        public Sandbox {
            Objects.requireNonNull(id);
        }

        public String prefix() {
            return "lbx-" + id + "-";
        }

        @Override
        public String container(String name) {
            return prefix() + name;
        }

        @Override
        public String volume(String name) {
            return prefix() + name;
        }

        @Override
        public ContainerSpec spec(ContainerSpec c) {
            List<MountSpec> mounts = c.mounts().stream().map(this::mount).filter(Objects::nonNull).toList();
            Map<String, String> labels = new LinkedHashMap<>();
            if (c.labels() != null) {
                c.labels().forEach((k, v) -> {
                    if (!k.startsWith("com.docker.compose.")) {
                        labels.put(k, v);
                    }
                });
            }
            labels.put(LABEL, id);
            labels.put(LABEL + ".of", c.name());
            return new ContainerSpec(container(c.name()), c.image(), c.imageId(), c.cmd(), c.entrypoint(), c.env(), labels,
                    c.user(), c.workingDir(), c.engine() == null ? "none" : network(), "no", mounts, c.healthcheck(),
                    c.running(), engine(c, labels, mounts));
        }

        /** The sandbox's own network: {@code internal}, so nothing in it reaches or is reached from outside. */
        public String network() {
            return prefix() + "net";
        }

        @Override
        public List<NetworkSpec> networks(List<NetworkSpec> recorded) {
            return List.of(new NetworkSpec(network(), "bridge", true, false, false, Map.of(), Map.of(LABEL, id), null));
        }

        /**
         * The recorded engine configuration, isolated: no published ports, no restart policy, no host
         * devices, the sandbox's volumes and config copy instead of the stack's, and one internal network
         * on which the container answers to every alias it had (and its service and container names), so
         * the app reaches its database by the name it uses in production.
         */
        private ObjectNode engine(ContainerSpec c, Map<String, String> labels, List<MountSpec> mounts) {
            ObjectNode e = c.engineCopy();
            if (e == null) {
                return null;
            }
            ObjectNode config = (ObjectNode) e.path("Config");
            ObjectNode l = config.putObject("Labels");
            labels.forEach(l::put);
            ObjectNode hc = (ObjectNode) e.path("HostConfig");
            hc.putObject("PortBindings");
            hc.put("PublishAllPorts", false);
            hc.putObject("RestartPolicy").put("Name", "no").put("MaximumRetryCount", 0);
            hc.put("NetworkMode", network());
            for (String f : new String[] {"Binds", "VolumesFrom", "Links", "Devices", "DeviceCgroupRules"}) {
                hc.remove(f);
            }
            ArrayNode m = hc.putArray("Mounts");
            for (MountSpec mount : mounts) {
                ObjectNode x = m.addObject();
                x.put("Type", mount.type());
                if (mount.source() != null) {
                    x.put("Source", mount.source());
                }
                x.put("Target", mount.target());
                x.put("ReadOnly", mount.readOnly());
            }
            java.util.Set<String> aliases = new java.util.LinkedHashSet<>();
            String oldId = e.path("Id").asText("");
            for (var n : c.networks().values()) {
                n.path("Aliases").forEach(a -> {
                    if (oldId.isEmpty() || !oldId.startsWith(a.asText())) {
                        aliases.add(a.asText());
                    }
                });
            }
            if (c.label("com.docker.compose.service") != null) {
                aliases.add(c.label("com.docker.compose.service"));
            }
            aliases.add(c.name());
            ObjectNode networks = e.putObject("Networks");
            ArrayNode a = networks.putObject(network()).putArray("Aliases");
            aliases.forEach(a::add);
            return e;
        }

        private MountSpec mount(MountSpec m) {
            if (m.isVolume()) {
                return new MountSpec(m.type(), volume(m.source()), m.target(), m.readOnly());
            }
            if ("tmpfs".equals(m.type())) {
                return m;
            }
            if ("bind".equals(m.type()) && recordedConfigDir != null && configRoot != null
                    && (m.source().equals(recordedConfigDir) || m.source().startsWith(recordedConfigDir + "/"))) {
                return new MountSpec(m.type(), configRoot + m.source().substring(recordedConfigDir.length()), m.target(),
                        m.readOnly());
            }
            return null;
        }

        @Override
        public VolumeSpec volumeSpec(VolumeSpec v) {
            Map<String, String> labels = new LinkedHashMap<>();
            labels.put(LABEL, id);
            // always plain local storage: the recorded driver's options (an NFS export, a bind device) point at
            // the live data, which a sandbox must never touch
            return new VolumeSpec(volume(v.name()), "local", labels);
        }

        @Override
        public String configDir(String dir) {
            return configRoot;
        }

        @Override
        public Map<String, String> labels() {
            return Map.of(LABEL, id);
        }
    }
}
