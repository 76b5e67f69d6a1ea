package dev.lifeboat.core.restore;

import dev.lifeboat.core.model.ContainerSpec;
import dev.lifeboat.core.model.MountSpec;
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
     * mistakes them for the stack), network {@code none}, no restart policy. Bind mounts from the
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
                    c.user(), c.workingDir(), "none", "no", mounts, c.healthcheck(), c.running());
        }

        private MountSpec mount(MountSpec m) {
            if (m.isVolume()) {
                return new MountSpec(m.type(), volume(m.source()), m.target(), m.readOnly());
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
            return new VolumeSpec(volume(v.name()), v.driver(), labels);
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
