package dev.lifeboat.core.proof;

import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.history.HistoryStore;
import dev.lifeboat.core.host.DockerGateway;
import dev.lifeboat.core.host.HostFiles;
import dev.lifeboat.core.model.ContainerSpec;
import dev.lifeboat.core.model.Host;
import dev.lifeboat.core.restore.PhaseTimer;
import dev.lifeboat.core.storage.PointLocator;
import dev.lifeboat.core.restore.RestoreTarget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The life cycle of sandboxes on a host: every container, volume and network of one carries
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
        for (String net : docker.networksLabelled(RestoreTarget.Sandbox.LABEL, id)) {
            docker.removeNetwork(net);
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
        history.markInterruptedRuns();
        Set<String> ids = new LinkedHashSet<>();
        for (ContainerSpec c : docker.containersLabelled(RestoreTarget.Sandbox.LABEL, null)) {
            ids.add(c.label(RestoreTarget.Sandbox.LABEL));
        }
        for (String v : docker.volumesLabelled(RestoreTarget.Sandbox.LABEL, null)) {
            docker.volume(v).map(s -> s.labels().get(RestoreTarget.Sandbox.LABEL)).ifPresent(ids::add);
        }
        for (String net : docker.networksLabelled(RestoreTarget.Sandbox.LABEL, null)) {
            docker.network(net).map(n -> n.labels().get(RestoreTarget.Sandbox.LABEL)).ifPresent(ids::add);
        }
        int removed = 0;
        for (String id : ids) {
            if (!history.isFinishedRun(id)) {
                continue; // still running, or another Lifeboat's (another home sharing this engine): not ours to remove
            }
            LOG.warn("Removing sandbox {} left on host {} by a run that did not finish", id, docker.host().name());
            removed += remove(docker, id);
        }
        return removed;
    }

    /** The work done inside a sandbox. */
    interface Work<T> {
        T run(RestoreTarget.Sandbox target);
    }

    /**
     * The one life cycle of a sandbox, for restore tests and drills alike: leftovers of dead runs are
     * removed, the target for {@code point} is made, {@code work} runs, and the sandbox is always removed
     * afterwards (by a shutdown hook too, should the process be stopped meanwhile). A failed removal is
     * added to {@code checks}.
     */
    static <T> T use(DockerGateway docker, HistoryStore history, java.util.function.Function<Host, DockerGateway> connector,
                     PointLocator.Located point, String runId, PhaseTimer timer, List<Check> checks, Work<T> work) {
        timer.run("clean leftovers", () -> removeLeftovers(docker, history) + " leftover sandbox objects removed");
        String configDir = point.manifest().assets().stream().filter(a -> a.kind().equals("config"))
                .map(a -> a.details().get("directory")).findFirst().orElse(null);
        RestoreTarget.Sandbox target = new RestoreTarget.Sandbox(runId, configRoot(runId), configDir);
        Thread cleanupOnExit = new Thread(() -> {
            try (DockerGateway again = connector.apply(docker.host())) {
                remove(again, runId);
            } catch (RuntimeException e) {
                LOG.warn("Could not remove sandbox {} on exit; the next restore test or drill removes it", runId, e);
            }
        }, "lifeboat-sandbox-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanupOnExit);
        try {
            return work.run(target);
        } finally {
            try {
                timer.run("remove sandbox", () -> remove(docker, runId) + " sandbox objects removed");
            } catch (RuntimeException e) {
                LOG.error("Could not remove sandbox {}; the next restore test or drill removes it", runId, e);
                checks.add(Check.fail("sandbox removal", e.getMessage()));
            }
            try {
                Runtime.getRuntime().removeShutdownHook(cleanupOnExit);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        }
    }
}
