package dev.lifeboat.core.discovery;

import dev.lifeboat.core.HostException;
import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.host.DockerEngine;
import dev.lifeboat.core.asset.AssetKind;
import dev.lifeboat.core.asset.AssetKinds;
import dev.lifeboat.core.model.Asset;
import dev.lifeboat.core.model.ContainerSpec;
import dev.lifeboat.core.model.MountSpec;
import dev.lifeboat.core.model.Stack;
import dev.lifeboat.core.model.VolumeSpec;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Groups a host's containers into stacks by the Compose label and finds what in each holds data: each
 * registered asset kind looks at the stack's containers, in the registry's order (database servers first,
 * so the volumes their dumps cover are not archived again as files).
 */
public final class StackDiscovery {
    public static final String PROJECT = "com.docker.compose.project";
    public static final String WORKING_DIR = "com.docker.compose.project.working_dir";
    public static final String CONFIG_FILES = "com.docker.compose.project.config_files";
    public static final String KIND = "lifeboat.kind";
    public static final String CONFIG_DIR = "lifeboat.config.dir";
    public static final String STOP_DURING_BACKUP = "lifeboat.stop-during-backup";

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(StackDiscovery.class);
    private final DockerEngine docker;
    private final AssetKinds kinds;

    public StackDiscovery(DockerEngine docker, AssetKinds kinds) {
        this.docker = docker;
        this.kinds = kinds;
    }

    /** Stack names with their container counts. */
    public Map<String, List<ContainerSpec>> stacks() {
        Map<String, List<ContainerSpec>> stacks = new TreeMap<>();
        for (ContainerSpec c : docker.containersLabelled(PROJECT, null)) {
            stacks.computeIfAbsent(c.label(PROJECT), k -> new ArrayList<>()).add(c);
        }
        return stacks;
    }

    /**
     * Every stack on the host, discovered. A stack removed while this runs (compose down on a busy host) is
     * left out instead of failing the listing; any other failure is thrown.
     */
    public List<Stack> discoverAll() {
        List<Stack> out = new ArrayList<>();
        for (String name : stacks().keySet()) {
            try {
                out.add(discover(name));
            } catch (LifeboatException e) {
                if (!docker.containersLabelled(PROJECT, name).isEmpty()) {
                    throw e;
                }
            }
        }
        return out;
    }

    public Stack discover(String stackName) {
        dev.lifeboat.core.model.Names.requireName("stack", stackName); // it becomes a directory at the destination
        List<ContainerSpec> containers = docker.containersLabelled(PROJECT, stackName);
        if (containers.isEmpty()) {
            throw new LifeboatException("Host " + docker.host().name() + " has no containers of stack '" + stackName
                    + "' (label " + PROJECT + "=" + stackName + ")");
        }
        Set<String> mounted = new java.util.TreeSet<>();
        for (ContainerSpec c : containers) {
            for (MountSpec m : c.mounts()) {
                if (m.isVolume()) {
                    mounted.add(m.source());
                }
            }
        }
        List<VolumeSpec> volumes = new ArrayList<>();
        for (String v : mounted) {
            volumes.add(docker.volume(v).orElseThrow(() -> new HostException("Host " + docker.host().name()
                    + ": volume " + v + " is mounted but cannot be inspected")));
        }
        List<Asset> assets = new ArrayList<>();
        for (AssetKind kind : kinds.all()) {
            assets.addAll(kind.discover(docker, containers, List.copyOf(assets)));
        }
        return new Stack(docker.host().name(), stackName, containers, volumes, assets);
    }

    /**
     * The stack's config directory: the compose project's working directory. A container's
     * {@code lifeboat.config.dir} label may only narrow it to a directory inside the project; a label
     * pointing anywhere else ({@code /etc}, say, set by an image's author) is ignored, since Lifeboat
     * archives and later overwrites that directory as root. Paths that are not absolute and normal
     * ({@code ..}) are ignored too.
     */
    public static java.util.Optional<String> configDirectory(List<ContainerSpec> containers) {
        String project = null;
        for (ContainerSpec c : containers) {
            String wd = c.label(WORKING_DIR);
            if (wd != null && isCleanAbsolute(wd) && !wd.equals("/")) {
                project = wd;
                break;
            }
        }
        if (project == null) {
            return java.util.Optional.empty();
        }
        java.nio.file.Path base = java.nio.file.Path.of(project);
        for (ContainerSpec c : containers) {
            String narrowed = c.label(CONFIG_DIR);
            if (narrowed == null) {
                continue;
            }
            if (isCleanAbsolute(narrowed) && java.nio.file.Path.of(narrowed).startsWith(base)) {
                return java.util.Optional.of(narrowed);
            }
            LOG.warn("Ignoring label {}={} on container {}: it points outside the project directory {}", CONFIG_DIR,
                    narrowed, c.name(), project);
        }
        return java.util.Optional.of(project);
    }

    private static boolean isCleanAbsolute(String path) {
        if (!path.startsWith("/") || path.contains("\0")) {
            return false;
        }
        java.nio.file.Path p = java.nio.file.Path.of(path);
        return p.normalize().equals(p) && !path.contains("/../") && !path.endsWith("/..");
    }

    public static List<String> composeFiles(List<ContainerSpec> containers) {
        Set<String> files = new LinkedHashSet<>();
        for (ContainerSpec c : containers) {
            String f = c.label(CONFIG_FILES);
            if (f != null) {
                for (String part : f.split(",")) {
                    if (!part.isBlank()) {
                        files.add(part.trim());
                    }
                }
            }
        }
        return List.copyOf(files);
    }
}
