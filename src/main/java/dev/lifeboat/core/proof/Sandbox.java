package dev.lifeboat.core.proof;

import dev.lifeboat.core.kinds.config.ConfigKind;
import dev.lifeboat.core.model.Check;

import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.history.HistoryStore;
import dev.lifeboat.core.host.DockerEngine;
import dev.lifeboat.core.host.HostFiles;
import dev.lifeboat.core.model.ContainerSpec;
import dev.lifeboat.core.model.Host;
import dev.lifeboat.core.restore.PhaseTimer;
import dev.lifeboat.core.storage.PointLocator;
import dev.lifeboat.core.asset.RestoreTarget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The life cycle of sandboxes on a host: every container, volume and network of one carries
 * {@code lifeboat.sandbox=<run id>}, and its config copy lives in a directory private to Lifeboat ({@link #configBase}).
 * Removal is by label, never by name pattern, so nothing else can be caught.
 */
public final class Sandbox {
    private static final Logger LOG = LoggerFactory.getLogger(Sandbox.class);
    static final String CONFIG_LABEL = RestoreTarget.Sandbox.LABEL + ".config";

    private Sandbox() {
    }

    /**
     * Where sandboxes keep their config copies on the host: a directory private to Lifeboat (0700),
     * {@code <home>/sandboxes} on this machine, {@code ~/.lifeboat/sandboxes} on an SSH host. Copies hold
     * {@code .env} files and keys; nobody else may read them, from the first byte.
     */
    public static String configBase(HostFiles files, HistoryStore history) throws IOException {
        java.nio.file.Path home = history.home() != null ? history.home()
                : java.nio.file.Path.of(System.getProperty("user.home"), ".lifeboat");
        return files.privateDirectory(home, "sandboxes");
    }

    /** Removes one sandbox's containers, volumes, network and config copy. Returns what it removed. */
    public static int remove(DockerEngine docker, HistoryStore history, String id) {
        int n = 0;
        // side by side: a restored database's volume takes a second or more to delete, and each is on its own
        n += removeAll(docker.containersLabelled(RestoreTarget.Sandbox.LABEL, id).stream().map(ContainerSpec::name).toList(),
                docker::remove);
        n += removeAll(docker.volumesLabelled(RestoreTarget.Sandbox.LABEL, id), docker::removeVolume);
        for (String net : docker.networksLabelled(RestoreTarget.Sandbox.LABEL, id)) {
            docker.removeNetwork(net);
            n++;
        }
        String root = null;
        try (HostFiles files = HostFiles.of(docker)) {
            root = HostFiles.child(configBase(files, history), id);
            files.deleteTree(root);
        } catch (IOException e) {
            throw new LifeboatException("Cannot remove the sandbox's config copy " + (root == null ? "" : root + " ")
                    + ": " + e.getMessage(), e);
        }
        return n;
    }

    /** Removes each of {@code names}, up to four at once, every one tried; the first failure is thrown after. */
    private static int removeAll(List<String> names, java.util.function.Consumer<String> remove) {
        List<dev.lifeboat.core.Parallel.Task<Void>> tasks = names.stream().<dev.lifeboat.core.Parallel.Task<Void>>map(name -> () -> {
            remove.accept(name);
            return null;
        }).toList();
        try {
            dev.lifeboat.core.Parallel.all("lifeboat-sandbox-removal", 4, tasks);
        } catch (IOException interrupted) {
            throw new LifeboatException("Removing the sandbox was interrupted: " + interrupted.getMessage(), interrupted);
        }
        return names.size();
    }

    /** Config copies of sandboxes whose runs are over (a killed process left them): removed at the start. */
    private static int removeOrphanedCopies(DockerEngine docker, HistoryStore history) {
        int n = 0;
        try (HostFiles files = HostFiles.of(docker)) {
            String base = configBase(files, history);
            for (HostFiles.Entry e : files.walk(base)) {
                if (e.type() == HostFiles.Type.DIRECTORY && !e.path().isEmpty() && !e.path().contains("/")
                        && history.runs().isFinished(e.path())) {
                    files.deleteTree(HostFiles.child(base, e.path()));
                    n++;
                }
            }
        } catch (IOException e) {
            throw new LifeboatException("Cannot clean the sandboxes' config copies: " + e.getMessage(), e);
        }
        return n;
    }

    /**
     * Removes sandboxes left on this host by runs that are no longer running (a killed process, a lost
     * connection). Sandboxes of runs in progress are left alone.
     */
    public static int removeLeftovers(DockerEngine docker, HistoryStore history) {
        history.runs().markInterrupted();
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
        int removed = removeOrphanedCopies(docker, history);
        for (String id : ids) {
            if (!history.runs().isFinished(id)) {
                continue; // still running, or another Lifeboat's (another home sharing this engine): not ours to remove
            }
            LOG.warn("Removing sandbox {} left on host {} by a run that did not finish", id, docker.host().name());
            removed += remove(docker, history, id);
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
    static <T> T use(DockerEngine docker, HistoryStore history, java.util.function.Function<Host, DockerEngine> connector,
                     PointLocator.Located point, String runId, PhaseTimer timer, List<Check> checks, Work<T> work) {
        timer.run("clean leftovers", () -> removeLeftovers(docker, history) + " leftover sandbox objects removed");
        String configDir = point.manifest().assets().stream().filter(a -> a.kind().equals(ConfigKind.ID))
                .map(ConfigKind::directory).findFirst().orElse(null);
        String configRoot;
        try (HostFiles files = HostFiles.of(docker)) {
            configRoot = HostFiles.child(configBase(files, history), runId);
        } catch (IOException e) {
            throw new LifeboatException("Cannot make a private directory for the sandbox's config copy: " + e.getMessage(), e);
        }
        RestoreTarget.Sandbox target = new RestoreTarget.Sandbox(runId, configRoot, configDir);
        Thread cleanupOnExit = new Thread(() -> {
            try (DockerEngine again = connector.apply(docker.host())) {
                remove(again, history, runId);
            } catch (RuntimeException e) {
                LOG.warn("Could not remove sandbox {} on exit; the next restore test or drill removes it", runId, e);
            }
        }, "lifeboat-sandbox-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanupOnExit);
        try {
            return work.run(target);
        } finally {
            try {
                timer.run("remove sandbox", () -> remove(docker, history, runId) + " sandbox objects removed");
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
