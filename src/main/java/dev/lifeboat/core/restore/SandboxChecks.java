package dev.lifeboat.core.restore;

import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.asset.AssetKind;
import dev.lifeboat.core.asset.AssetKinds;
import dev.lifeboat.core.asset.CheckContext;
import dev.lifeboat.core.asset.RestoreScope;
import dev.lifeboat.core.asset.RestoreTarget;
import dev.lifeboat.core.host.DockerEngine;
import dev.lifeboat.core.host.ExecResult;
import dev.lifeboat.core.model.AssetRecord;
import dev.lifeboat.core.model.Check;
import dev.lifeboat.core.model.ContainerSpec;
import dev.lifeboat.core.model.StackSettings;
import dev.lifeboat.core.storage.PointLocator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** The content checks run against a restored stack, asset by asset, each by its kind; and the app's probe. */
public final class SandboxChecks {
    private final DockerEngine docker;
    private final AssetKinds kinds;
    private final PointLocator.Located point;
    private final List<ContainerSpec> specs;
    private final RestoreTarget target;
    private final StackSettings settings;
    private final String runId;

    public SandboxChecks(DockerEngine docker, AssetKinds kinds, PointLocator.Located point, List<ContainerSpec> specs,
                         RestoreTarget target, StackSettings settings, String runId) {
        this.docker = docker;
        this.kinds = kinds;
        this.point = point;
        this.specs = specs;
        this.target = target;
        this.settings = settings;
        this.runId = runId;
    }

    public List<Check> run(RestoreScope scope) {
        return eachAsset(scope, (kind, ctx, a) -> kind.check(ctx, a));
    }

    /** What one kind checks of one of its assets. */
    private interface KindCheck {
        List<Check> of(AssetKind kind, CheckContext ctx, AssetRecord asset) throws IOException;
    }

    /**
     * The checks of every asset in scope, by its kind; a check that cannot run fails naming the asset. The assets
     * are checked side by side (each reads its own container or volume), and the results come in the manifest's order.
     */
    private List<Check> eachAsset(RestoreScope scope, KindCheck check) {
        CheckContext ctx = new CheckContext(docker, point, specs, target, settings, scope, runId);
        List<AssetRecord> selected = point.manifest().assets().stream().filter(a -> kinds.selects(scope, a)).toList();
        if (selected.isEmpty()) {
            return new ArrayList<>();
        }
        List<dev.lifeboat.core.Parallel.Task<List<Check>>> tasks = new ArrayList<>();
        for (AssetRecord a : selected) {
            tasks.add(() -> {
                try {
                    return check.of(kinds.of(a), ctx, a);
                } catch (LifeboatException | IOException ex) {
                    return List.of(Check.fail(a.name(), ex.getMessage()));
                }
            });
        }
        List<Check> checks = new ArrayList<>();
        try {
            dev.lifeboat.core.Parallel.all("lifeboat-check", 4, tasks).forEach(checks::addAll);
        } catch (IOException interrupted) { // the tasks turn their own failures into failed checks
            throw new LifeboatException("Checking was interrupted: " + interrupted.getMessage(), interrupted);
        }
        return checks;
    }

    /**
     * After an in-place restore: the structure of the restored databases (tables, constraints) and the
     * probe, if one is set; not figures that the running app may already have moved.
     */
    public List<Check> afterRestore(RestoreScope scope) {
        List<Check> checks = eachAsset(scope, (kind, ctx, a) -> kind.checkAfterRestore(ctx, a));
        if (settings.probe() != null && scope.everything()) {
            checks.add(probe(settings.probe()));
        }
        return checks;
    }

    /** The app-level probe: {@code CONTAINER:COMMAND} run with sh in the restored container; must exit 0. */
    public Check probe(String probe) {
        int colon = probe.indexOf(':');
        if (colon <= 0) {
            return Check.fail("probe", "probe must be CONTAINER:COMMAND, got " + probe);
        }
        String container = probe.substring(0, colon);
        String command = probe.substring(colon + 1);
        ContainerSpec spec;
        try {
            spec = new CheckContext(docker, point, specs, target, settings, RestoreScope.ALL, runId).spec(container);
        } catch (LifeboatException e) {
            return Check.fail("probe " + container, e.getMessage());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ExecResult r = docker.exec(spec.name(), List.of("sh", "-c", command), List.of(), null, out);
        String tail = (out.toString(java.nio.charset.StandardCharsets.UTF_8) + r.stderr()).strip();
        tail = tail.length() > 300 ? tail.substring(tail.length() - 300) : tail;
        return r.ok() ? Check.pass("probe " + container, "'" + command + "' exited 0")
                : Check.fail("probe " + container, "'" + command + "' exited " + r.exitCode() + (tail.isEmpty() ? "" : ": " + tail));
    }
}
