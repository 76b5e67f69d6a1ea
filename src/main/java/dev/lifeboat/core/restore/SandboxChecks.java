package dev.lifeboat.core.restore;

import dev.lifeboat.core.model.Check;

import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.backup.VolumeArchiver;
import dev.lifeboat.core.host.DockerGateway;
import dev.lifeboat.core.host.ExecResult;
import dev.lifeboat.core.host.HostFiles;
import dev.lifeboat.core.host.PostgresClient;
import dev.lifeboat.core.host.RedisClient;
import dev.lifeboat.core.model.Artifact;
import dev.lifeboat.core.model.AssetRecord;
import dev.lifeboat.core.model.ContainerSpec;
import dev.lifeboat.core.model.FileEntry;
import dev.lifeboat.core.model.StackSettings;
import dev.lifeboat.core.storage.ManifestCodec;
import dev.lifeboat.core.storage.PointLocator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The content checks run against a restored sandbox, asset by asset. */
public final class SandboxChecks {
    private final DockerGateway docker;
    private final PointLocator.Located point;
    private final List<ContainerSpec> specs;
    private final RestoreTarget target;
    private final StackSettings settings;
    private final String runId;

    public SandboxChecks(DockerGateway docker, PointLocator.Located point, List<ContainerSpec> specs, RestoreTarget target,
                  StackSettings settings, String runId) {
        this.docker = docker;
        this.point = point;
        this.specs = specs;
        this.target = target;
        this.settings = settings;
        this.runId = runId;
    }

    public List<Check> run(RestoreScope scope) {
        List<Check> checks = new ArrayList<>();
        for (AssetRecord a : point.manifest().assets()) {
            if (!scope.includes(a)) {
                continue;
            }
            try {
                switch (a.kind()) {
                    case "postgres" -> checks.addAll(PostgresChecks.run(new PostgresClient(docker, spec(a.container())), a,
                            settings, point.manifest().startedAt(), scope::includesDatabase));
                    case "redis" -> checks.add(redis(a));
                    case "volume" -> checks.add(volume(a));
                    case "config" -> checks.add(config(a));
                    default -> {
                    }
                }
            } catch (LifeboatException | IOException e) {
                checks.add(Check.fail(a.name(), e.getMessage()));
            }
        }
        return checks;
    }

    private ContainerSpec spec(String recorded) {
        String name = target.container(recorded);
        return specs.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new LifeboatException("no sandbox container for " + recorded));
    }

    private Check redis(AssetRecord a) {
        Map<String, Long> keys = new RedisClient(docker, spec(a.container())).keyCounts();
        Map<String, Long> want = a.keyCounts() == null ? Map.of() : a.keyCounts();
        String name = a.name() + ": keys";
        return keys.equals(want) ? Check.pass(name, "RDB loaded; keys per database " + keys + ", as recorded")
                : Check.fail(name, "keys per database " + keys + ", the backup recorded " + want);
    }

    private Check volume(AssetRecord a) throws IOException {
        String recorded = a.name().substring("volume:".length());
        String volume = target.volume(recorded);
        String name = a.name() + ": files";
        Artifact indexArtifact = a.artifacts().stream().filter(x -> VolumeArchiver.INDEX_ROLE.equals(x.role())).findFirst()
                .orElse(null);
        List<FileEntry> restored = new ArrayList<>();
        String image = specs.stream().filter(c -> c.mounts().stream().anyMatch(m -> m.isVolume() && m.source().equals(volume)))
                .map(ContainerSpec::image).findFirst().orElse(specs.get(0).image());
        Map<String, String> labels = new HashMap<>(target.labels());
        labels.put(VolumeArchiver.HELPER_LABEL, runId);
        String helper = docker.createHelper(image, target.container("check-" + recorded), labels, List.of(volume), true);
        try (InputStream raw = docker.readArchive(helper, "/lifeboat/" + volume)) {
            VolumeArchiver.rebase(raw, volume, OutputStream.nullOutputStream(), restored);
        } finally {
            docker.remove(helper);
        }
        if (indexArtifact == null) {
            long want = a.fileCount() == null ? -1 : a.fileCount();
            return want < 0 || want == restored.size()
                    ? Check.pass(name, restored.size() + " entries (this point predates file indexes: count only)")
                    : Check.fail(name, restored.size() + " entries restored, the backup recorded " + want);
        }
        FileEntry[] wanted;
        try (InputStream in = point.open(indexArtifact)) {
            wanted = ManifestCodec.mapper().readValue(in.readAllBytes(), FileEntry[].class);
        }
        Map<String, FileEntry> got = new LinkedHashMap<>();
        restored.forEach(e -> got.put(e.path(), e));
        List<String> problems = new ArrayList<>();
        long bytes = 0;
        for (FileEntry w : wanted) {
            FileEntry g = got.remove(w.path());
            bytes += w.size();
            if (g == null) {
                problems.add(w.path() + " missing");
            } else if (!same(w, g)) {
                problems.add(w.path() + " differs (" + describe(w) + " recorded, " + describe(g) + " restored)");
            }
        }
        got.keySet().forEach(p -> problems.add(p + " not in the backup"));
        if (problems.isEmpty()) {
            return Check.pass(name, wanted.length + " entries, " + bytes + " bytes: paths, types, modes, owners and "
                    + "SHA-256 match the backup's index");
        }
        return Check.fail(name, problems.size() + " differences: " + String.join("; ", problems.subList(0, Math.min(5, problems.size())))
                + (problems.size() > 5 ? "; …" : ""));
    }

    private static boolean same(FileEntry w, FileEntry g) {
        boolean dir = "d".equals(w.type());
        return w.type().equals(g.type()) && w.mode() == g.mode() && w.uid() == g.uid() && w.gid() == g.gid()
                && (dir || w.size() == g.size()) && Objects.equals(w.sha256(), g.sha256()) && Objects.equals(w.link(), g.link());
    }

    private static String describe(FileEntry e) {
        return e.type() + " " + Integer.toOctalString(e.mode()) + " " + e.uid() + ":" + e.gid() + " " + e.size() + "B"
                + (e.sha256() == null ? "" : " " + e.sha256().substring(0, 12));
    }

    private Check config(AssetRecord a) throws IOException {
        String dir = target.configDir(a.details().get("directory"));
        try (HostFiles files = HostFiles.of(docker)) {
            long n = files.walk(dir).stream().filter(e -> e.type() != HostFiles.Type.DIRECTORY).count();
            long want = a.fileCount() == null ? n : a.fileCount();
            return n == want ? Check.pass(a.name() + ": files", n + " config files restored")
                    : Check.fail(a.name() + ": files", n + " config files restored, the backup recorded " + want);
        }
    }

    /**
     * After an in-place restore: the structure of the restored databases (tables, constraints) and the
     * probe, if one is set; not figures that the running app may already have moved.
     */
    public List<Check> afterRestore(dev.lifeboat.core.restore.RestoreScope scope) {
        List<Check> checks = new ArrayList<>();
        for (AssetRecord a : point.manifest().assets()) {
            if (a.kind().equals("postgres") && scope.includes(a)) {
                try {
                    checks.addAll(PostgresChecks.structural(new PostgresClient(docker, spec(a.container())), a,
                            scope::includesDatabase));
                } catch (LifeboatException e) {
                    checks.add(Check.fail(a.name(), e.getMessage()));
                }
            }
        }
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
            spec = spec(container);
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
