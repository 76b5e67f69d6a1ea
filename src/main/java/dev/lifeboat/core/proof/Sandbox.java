package dev.lifeboat.core.proof;

import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.history.HistoryStore;
import dev.lifeboat.core.host.DockerGateway;
import dev.lifeboat.core.host.HostFiles;
import dev.lifeboat.core.model.ContainerSpec;
import dev.lifeboat.core.restore.RestoreTarget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The life cycle of sandboxes on a host: every container and volume of one carries
 * {@code lifeboat.sandbox=<run id>}, and its config copy lives in {@code /tmp/lifeboat-sandbox-<run id>}.
 * Removal is by label, never by name pattern, so nothing else can be caught.
 */
public final class Sandbox {
    private static final Logger LOG = LoggerFactory.getLogger(Sandbox.class);
    static final String CONFIG_LABEL = RestoreTarget.Sandbox.LABEL + ".config";

    private Sandbox() {
    }

    public static String configRoot(String id) {
        return "/tmp/lifeboat-sandbox-" + id;
    }

    /** Removes one sandbox's containers, volumes and config copy. Returns what it removed. */
    public static int remove(DockerGateway docker, String id) {
        int n = 0;
        for (ContainerSpec c : docker.containersLabelled(RestoreTarget.Sandbox.LABEL, id)) {
            docker.remove(c.name());
            n++;
        }
        for (String v : docker.volumesLabelled(RestoreTarget.Sandbox.LABEL, id)) {
            docker.removeVolume(v);
            n++;
        }
        try (HostFiles files = HostFiles.of(docker)) {
            files.deleteTree(configRoot(id));
        } catch (IOException e) {
            throw new LifeboatException("Cannot remove the sandbox's config copy " + configRoot(id) + ": " + e.getMessage(), e);
        }
        return n;
    }

    /**
     * Removes sandboxes left on this host by runs that are no longer running (a killed process, a lost
     * connection). Sandboxes of runs in progress are left alone.
     */
    public static int removeLeftovers(DockerGateway docker, HistoryStore history) {
        Set<String> ids = new LinkedHashSet<>();
        for (ContainerSpec c : docker.containersLabelled(RestoreTarget.Sandbox.LABEL, null)) {
            ids.add(c.label(RestoreTarget.Sandbox.LABEL));
        }
        for (String v : docker.volumesLabelled(RestoreTarget.Sandbox.LABEL, null)) {
            docker.volume(v).map(s -> s.labels().get(RestoreTarget.Sandbox.LABEL)).ifPresent(ids::add);
        }
        int removed = 0;
        for (String id : ids) {
            if (id == null || "running".equals(history.runStatus(id).orElse(null))) {
                continue;
            }
            LOG.warn("Removing sandbox {} left on host {} by a run that did not finish", id, docker.host().name());
            removed += remove(docker, id);
        }
        return removed;
    }

    static List<String> containers(DockerGateway docker, String id) {
        return docker.containersLabelled(RestoreTarget.Sandbox.LABEL, id).stream().map(ContainerSpec::name).toList();
    }
}
