package dev.lifeboat.core.discovery;

import dev.lifeboat.core.HostException;
import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.host.DockerGateway;
import dev.lifeboat.core.host.PostgresClient;
import dev.lifeboat.core.host.RedisClient;
import dev.lifeboat.core.model.Asset;
import dev.lifeboat.core.model.ContainerSpec;
import dev.lifeboat.core.model.MountSpec;
import dev.lifeboat.core.model.Stack;
import dev.lifeboat.core.model.VolumeSpec;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Groups a host's containers into stacks by the Compose label and finds what in each holds data:
 * PostgreSQL and Redis servers, named volumes, and the config files the stack came from.
 */
public final class StackDiscovery {
    public static final String PROJECT = "com.docker.compose.project";
    public static final String WORKING_DIR = "com.docker.compose.project.working_dir";
    public static final String CONFIG_FILES = "com.docker.compose.project.config_files";
    public static final String KIND = "lifeboat.kind";
    public static final String CONFIG_DIR = "lifeboat.config.dir";
    public static final String STOP_DURING_BACKUP = "lifeboat.stop-during-backup";

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(StackDiscovery.class);
    private final DockerGateway docker;

    public StackDiscovery(DockerGateway docker) {
        this.docker = docker;
    }

    /** Stack names with their container counts. */
    public Map<String, List<ContainerSpec>> stacks() {
        Map<String, List<ContainerSpec>> stacks = new TreeMap<>();
        for (ContainerSpec c : docker.containersLabelled(PROJECT, null)) {
            stacks.computeIfAbsent(c.label(PROJECT), k -> new ArrayList<>()).add(c);
        }
        return stacks;
    }

    public Stack discover(String stackName) {
        dev.lifeboat.core.model.Names.requireName("stack", stackName); // it becomes a directory at the destination
        List<ContainerSpec> containers = docker.containersLabelled(PROJECT, stackName);
        if (containers.isEmpty()) {
            throw new LifeboatException("Host " + docker.host().name() + " has no containers of stack '" + stackName
                    + "' (label " + PROJECT + "=" + stackName + ")");
        }
        List<Asset> assets = new ArrayList<>();
        Set<String> databaseVolumes = new LinkedHashSet<>();
        for (ContainerSpec c : containers) {
            if (isPostgres(c)) {
                List<String> dataVolumes = dataVolumes(c, dataDirOf(c, "PGDATA", "/var/lib/postgresql"));
                databaseVolumes.addAll(dataVolumes);
                List<String> databases = List.of();
                if (c.running()) {
                    try {
                        databases = new PostgresClient(docker, c).databases();
                    } catch (LifeboatException e) {
                        // listed as a problem by the pre-backup check, with the others
                    }
                }
                assets.add(new Asset.PostgresInstance(c.name(), PostgresClient.superuserOf(c), databases, dataVolumes));
            } else if (isRedis(c)) {
                String dir = "/data";
                String file = "dump.rdb";
                boolean aof = false;
                if (c.running()) {
                    try {
                        RedisClient redis = new RedisClient(docker, c);
                        dir = redis.config("dir");
                        file = redis.config("dbfilename");
                        aof = "yes".equals(redis.config("appendonly"));
                    } catch (LifeboatException e) {
                        // listed as a problem by the pre-backup check, with the others
                    }
                }
                List<String> dataVolumes = dataVolumes(c, dir);
                databaseVolumes.addAll(dataVolumes);
                assets.add(new Asset.RedisInstance(c.name(), dir, file, aof, dataVolumes));
            }
        }
        Map<String, List<String>> volumeUsers = new TreeMap<>();
        for (ContainerSpec c : containers) {
            for (MountSpec m : c.mounts()) {
                if (m.isVolume()) {
                    volumeUsers.computeIfAbsent(m.source(), k -> new ArrayList<>()).add(c.name());
                }
            }
        }
        List<VolumeSpec> volumes = new ArrayList<>();
        for (String v : volumeUsers.keySet()) {
            volumes.add(docker.volume(v).orElseThrow(() -> new HostException("Host " + docker.host().name()
                    + ": volume " + v + " is mounted but cannot be inspected")));
        }
        for (var e : volumeUsers.entrySet()) {
            if (databaseVolumes.contains(e.getKey())) {
                continue; // covered by the logical dump; never tarred while the database runs
            }
            List<String> stop = containers.stream()
                    .filter(c -> e.getValue().contains(c.name()) && "true".equals(c.label(STOP_DURING_BACKUP)))
                    .map(ContainerSpec::name).toList();
            assets.add(new Asset.DockerVolume(e.getKey(), e.getValue(), stop));
        }
        configDirectory(containers).ifPresent(dir -> assets.add(new Asset.ConfigFiles(dir, composeFiles(containers))));
        return new Stack(docker.host().name(), stackName, containers, volumes, assets);
    }

    public static boolean isPostgres(ContainerSpec c) {
        if (c.label(KIND) != null) {
            return "postgres".equals(c.label(KIND));
        }
        String image = c.image() == null ? "" : c.image().toLowerCase(Locale.ROOT);
        return image.contains("postgres") || image.contains("postgis") || image.contains("timescaledb")
                || c.envValue("POSTGRES_PASSWORD") != null || c.envValue("PG_MAJOR") != null;
    }

    public static boolean isRedis(ContainerSpec c) {
        if (c.label(KIND) != null) {
            return "redis".equals(c.label(KIND));
        }
        String image = c.image() == null ? "" : c.image().toLowerCase(Locale.ROOT);
        return image.contains("redis") || image.contains("valkey")
                || (c.cmd() != null && !c.cmd().isEmpty() && c.cmd().get(0).contains("redis-server"));
    }

    private static String dataDirOf(ContainerSpec c, String envName, String fallback) {
        String v = c.envValue(envName);
        return v == null ? fallback : v;
    }

    /** Named volumes mounted at or above {@code dataDir}, or below it. */
    private static List<String> dataVolumes(ContainerSpec c, String dataDir) {
        List<String> out = new ArrayList<>();
        for (MountSpec m : c.mounts()) {
            if (m.isVolume() && m.target() != null
                    && (dataDir.equals(m.target()) || dataDir.startsWith(m.target() + "/") || m.target().startsWith(dataDir + "/"))) {
                out.add(m.source());
            }
        }
        return out;
    }

    /**
     * The stack's config directory: the compose project's working directory. A container's
     * {@code lifeboat.config.dir} label may only narrow it to a directory inside the project; a label
     * pointing anywhere else ({@code /etc}, say, set by an image's author) is ignored, since Lifeboat
     * archives and later overwrites that directory as root. Paths that are not absolute and normal
     * ({@code ..}) are ignored too.
     */
    static java.util.Optional<String> configDirectory(List<ContainerSpec> containers) {
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

    private static List<String> composeFiles(List<ContainerSpec> containers) {
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
