package dev.lifeboat.core.backup;

import dev.lifeboat.core.IntegrityException;
import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.asset.PointArtifacts;
import dev.lifeboat.core.history.DestinationRecord;
import dev.lifeboat.core.history.HistoryStore;
import dev.lifeboat.core.model.Artifact;
import dev.lifeboat.core.model.AssetRecord;
import dev.lifeboat.core.model.Host;
import dev.lifeboat.core.model.Manifest;
import dev.lifeboat.core.model.PointIds;
import dev.lifeboat.core.storage.Destination;
import dev.lifeboat.core.storage.ManifestCodec;
import dev.lifeboat.core.storage.PointWriter;
import dev.lifeboat.core.storage.Repositories;
import dev.lifeboat.core.storage.Repository;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Lifeboat's own recovery: its state written to a destination as a point of the reserved host
 * {@value #HOST}, stack = this machine's name, through the same pipeline as every backup (compressed,
 * encrypted under the destination's key, checksummed, the manifest signed and chained). It holds a
 * consistent copy of the embedded history (hosts, destinations, plans, points, runs, drills), the
 * settings file and the secret store as they are (encrypted under the master password), and only when
 * asked the key files the destinations name and the SSH identities of the hosts. The newest
 * {@value #KEEP} of a machine are kept; older ones go where the destination allows deleting.
 *
 * <p>The way back ({@link #stage}, then {@link #apply}) runs on a fresh home where the same destination has
 * been added with its key: the newest self-backup (of any machine, or the one named) is proved, read and
 * checked whole into a private staging directory, and only then put in place, with the home's current
 * history and files moved aside, never deleted. Key files go back only where no file is, through no link.
 */
public final class SelfBackup {
    /** The host name self-backups are filed under at a destination; no Docker host may take it. */
    public static final String HOST = Host.SELF;
    public static final int KEEP = 14;
    static final String HISTORY = "history.zip";

    private SelfBackup() {
    }

    /** What a self-backup wrote. */
    public record Written(String pointId, String destination, List<String> contents, long storedBytes, int removedOlder) {
    }

    /** This machine's name as a stack name at a destination: letters, digits, '.', '_' and '-'. */
    public static String machineName(String raw) {
        String s = raw == null ? "" : raw.replaceAll("[^A-Za-z0-9_.-]", "-").replaceAll("^[^A-Za-z0-9]+", "");
        s = s.length() > 63 ? s.substring(0, 63) : s;
        return s.isEmpty() ? "workstation" : s;
    }

    /** Writes this home's state to {@code destination}; key files and SSH identities too when {@code withKeys}. */
    public static Written backup(Path home, HistoryStore history, Repositories repositories, String destination,
                                 boolean withKeys, String version, String machine) throws IOException {
        Path staging = Files.createTempDirectory(privateDir(home, "tmp"), "self-backup-");
        Instant started = Instant.now();
        String pointId = PointIds.newId(started);
        try (Repository repo = repositories.open(destination)) {
            Path zip = staging.resolve(HISTORY);
            history.backupTo(zip);
            List<Artifact> artifacts = new ArrayList<>();
            List<String> contents = new ArrayList<>();
            Destination dest = repo.destination();
            try (PointWriter writer = dest.begin(HOST, machine, pointId)) {
                PointArtifacts out = new PointArtifacts(writer, repo.pipeline());
                artifacts.add(out.write("history.zip", "history", null, plain -> Files.copy(zip, plain)));
                contents.add("history");
                for (String[] f : new String[][] {{"config.properties", "config"}, {"secrets.vault", "vault"}}) {
                    Path file = home.resolve(f[0]);
                    if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                        artifacts.add(out.write(f[0], f[1], null, plain -> Files.copy(file, plain)));
                        contents.add(f[0]);
                    }
                }
                if (withKeys) {
                    for (DestinationRecord d : history.destinations().all()) {
                        Path key = d.keyFile() == null || d.keyFile().startsWith("secret:") ? null : Path.of(d.keyFile());
                        if (key != null && Files.isRegularFile(key)) {
                            artifacts.add(out.write("key-" + d.name(), "key", key.toAbsolutePath().toString(),
                                    plain -> Files.copy(key, plain)));
                            contents.add("the key of " + d.name());
                        }
                    }
                    for (Host h : history.hosts().all()) {
                        Path id = h.identityFile() == null ? null : Path.of(h.identityFile());
                        if (id != null && Files.isRegularFile(id)) {
                            artifacts.add(out.write("ssh-" + h.name(), "ssh-identity", id.toAbsolutePath().toString(),
                                    plain -> Files.copy(id, plain)));
                            contents.add("the SSH identity of " + h.name());
                        }
                    }
                }
                AssetRecord state = new AssetRecord("lifeboat", "lifeboat", null,
                        java.time.Duration.between(started, Instant.now()).toMillis(), artifacts, null, null,
                        (long) artifacts.size(), Map.of("machine", machine, "withKeys", Boolean.toString(withKeys)));
                Manifest manifest = new Manifest(Manifest.FORMAT, pointId, HOST, machine, started, Instant.now(),
                        repo.pipeline().key().id(), version, List.of(), List.of(), List.of(state), Map.of())
                        .boundTo(repo.id(), dev.lifeboat.core.storage.Chain.head(repo, HOST, machine));
                byte[] json = ManifestCodec.write(manifest);
                writer.commit(json, repo.sign(json));
            }
            int removed = 0;
            if (repo.removable()) {
                List<Destination.StoredPoint> mine = dest.list(HOST, machine);
                for (int i = 0; i < mine.size() - KEEP; i++) { // oldest first
                    dest.delete(mine.get(i));
                    removed++;
                }
            }
            return new Written(pointId, destination, contents, artifacts.stream().mapToLong(Artifact::storedBytes).sum(), removed);
        } finally {
            deleteTree(staging);
        }
    }

    /** A self-backup read back and checked, in a private directory under the home, ready to be put in place. */
    public record Staged(String pointId, String machine, Instant takenAt, Path dir, List<Artifact> artifacts) {
    }

    /**
     * Proves and reads the newest self-backup at {@code destination} ({@code machine}'s, or any machine's when
     * null; or exactly {@code pointId}) into a private directory under {@code home}; every artifact is checked
     * to its end. Nothing of the home changes.
     */
    public static Staged stage(Path home, Repositories repositories, String destination, String machine, String pointId)
            throws IOException {
        try (Repository repo = repositories.open(destination)) {
            Destination dest = repo.destination();
            List<Destination.StoredPoint> found = new ArrayList<>(dest.list(HOST, machine));
            if (pointId != null) {
                found.removeIf(p -> !p.id().equals(pointId));
            }
            Destination.StoredPoint newest = found.stream().max(Comparator.comparing(Destination.StoredPoint::takenAt))
                    .orElseThrow(() -> new LifeboatException("Destination " + destination + " holds no self-backup"
                            + (pointId != null ? " " + pointId : machine != null ? " of machine " + machine : "")
                            + " (lifeboat self-backup --to " + destination + " writes one)"));
            Manifest m = repo.prove(newest, null).manifest();
            if (m.assets().size() != 1 || !"lifeboat".equals(m.assets().get(0).kind())) {
                throw new IntegrityException("Point " + newest.id() + " at " + destination + " is not a self-backup");
            }
            Path dir = Files.createTempDirectory(privateDir(home, "tmp"), "self-restore-");
            List<Artifact> artifacts = m.assets().get(0).artifacts();
            try {
                for (Artifact a : artifacts) {
                    Path to = dir.resolve(PointWriter.checkArtifactName(a.file()));
                    try (InputStream in = repo.pipeline().reader(dest.open(newest, a.file()), a.file(), a.storedSha256(),
                            a.plainSha256()); OutputStream out = Files.newOutputStream(to, StandardOpenOption.CREATE_NEW)) {
                        in.transferTo(out);
                    }
                }
            } catch (IOException | RuntimeException e) {
                deleteTree(dir);
                throw e;
            }
            return new Staged(newest.id(), newest.stack(), newest.takenAt(), dir, artifacts);
        }
    }

    /** What {@link #apply} put back and moved aside. */
    public record Applied(List<String> restored, List<String> setAside, List<String> keysSkipped) {
    }

    /**
     * Puts a staged self-backup in place in {@code home}, whose history must be closed by then (no Lifeboat
     * process may have it open): the current history directory, settings and secret store are renamed aside
     * with the suffix {@code .before-self-restore-TIME}, the backed-up ones take their place. Key files and SSH
     * identities go back to the paths they came from only where nothing is there, through no link, mode 600.
     */
    public static Applied apply(Path home, Staged staged) throws IOException {
        Path historyDir = home.resolve("history");
        if (Files.exists(historyDir.resolve("lifeboat.lock.db"))) {
            throw new LifeboatException("Another Lifeboat process has the history under " + home + " open (the console or"
                    + " the agent): close it, then run self-restore again");
        }
        String suffix = ".before-self-restore-" + PointIds.newId(Instant.now());
        List<String> restored = new ArrayList<>();
        List<String> aside = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        Artifact zip = staged.artifacts().stream().filter(a -> a.role().equals("history")).findFirst()
                .orElseThrow(() -> new IntegrityException("Self-backup " + staged.pointId() + " holds no history"));
        Path unzipped = staged.dir().resolve("history");
        unzip(staged.dir().resolve(zip.file()), unzipped);
        if (Files.exists(historyDir, LinkOption.NOFOLLOW_LINKS)) {
            Files.move(historyDir, home.resolve("history" + suffix));
            aside.add("history" + suffix);
        }
        Files.move(unzipped, historyDir);
        restored.add("the history");
        for (Artifact a : staged.artifacts()) {
            Path from = staged.dir().resolve(a.file());
            switch (a.role()) {
                case "config", "vault" -> {
                    String name = a.role().equals("config") ? "config.properties" : "secrets.vault";
                    Path to = home.resolve(name);
                    if (Files.exists(to, LinkOption.NOFOLLOW_LINKS)) {
                        Files.move(to, home.resolve(name + suffix));
                        aside.add(name + suffix);
                    }
                    Files.move(from, to);
                    Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rw-------"));
                    restored.add(name);
                }
                case "key", "ssh-identity" -> {
                    Path to = Path.of(a.database());
                    String why = unsafe(to);
                    if (why != null) {
                        skipped.add(to + " (" + why + ")");
                    } else {
                        Files.createDirectories(to.getParent());
                        try (OutputStream out = Files.newOutputStream(to, StandardOpenOption.CREATE_NEW, LinkOption.NOFOLLOW_LINKS)) {
                            Files.copy(from, out);
                        }
                        Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rw-------"));
                        restored.add(to.toString());
                    }
                }
                default -> {
                    // the history zip, unpacked above
                }
            }
        }
        deleteTree(staged.dir());
        return new Applied(restored, aside, skipped);
    }

    /** Why a key may not be written to {@code to}: a file is there, or a directory on the way is a link; null if it may. */
    static String unsafe(Path to) {
        if (!to.isAbsolute() || !to.normalize().equals(to)) {
            return "not an absolute, normal path";
        }
        if (Files.exists(to, LinkOption.NOFOLLOW_LINKS)) {
            return "a file is there already; it was left as it is";
        }
        for (Path p = to.getParent(); p != null; p = p.getParent()) {
            if (Files.isSymbolicLink(p)) {
                return p + " is a link";
            }
        }
        return null;
    }

    /** Unpacks H2's backup zip (plain file names only) into the new directory {@code to}. */
    private static void unzip(Path zip, Path to) throws IOException {
        Files.createDirectory(to);
        try (java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(Files.newInputStream(zip))) {
            java.util.zip.ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                String name = e.getName();
                if (e.isDirectory() || name.contains("/") || name.contains("\\") || name.startsWith(".") || !name.endsWith(".db")) {
                    throw new IntegrityException("The self-backup's history holds an unexpected entry '" + name + "'");
                }
                Files.copy(in, to.resolve(name));
            }
        }
        try (var files = Files.list(to)) {
            if (files.noneMatch(f -> f.getFileName().toString().equals("lifeboat.mv.db"))) {
                throw new IntegrityException("The self-backup's history holds no lifeboat.mv.db");
            }
        }
    }

    private static Path privateDir(Path home, String name) throws IOException {
        Path dir = home.resolve(name);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        return dir;
    }

    private static void deleteTree(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(SelfBackup.class).warn("Could not remove {}: {}", dir, e.getMessage());
        }
    }
}
