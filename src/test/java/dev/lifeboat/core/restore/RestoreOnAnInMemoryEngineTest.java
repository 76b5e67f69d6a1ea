package dev.lifeboat.core.restore;

import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.Progress;
import dev.lifeboat.core.asset.AssetKinds;
import dev.lifeboat.core.asset.RestoreScope;
import dev.lifeboat.core.backup.BackupService;
import dev.lifeboat.core.discovery.StackDiscovery;
import dev.lifeboat.core.history.HistoryStore;
import dev.lifeboat.core.history.RunStep;
import dev.lifeboat.core.host.InMemoryEngine;
import dev.lifeboat.core.kinds.BuiltInKinds;
import dev.lifeboat.core.model.ContainerSpec;
import dev.lifeboat.core.model.MountSpec;
import dev.lifeboat.core.pipeline.RepositoryKey;
import dev.lifeboat.core.proof.RestoreTestService;
import dev.lifeboat.core.secrets.MasterPassword;
import dev.lifeboat.core.secrets.SecretStore;
import dev.lifeboat.core.storage.Repositories;
import dev.lifeboat.core.verify.IntegrityVerifier;
import dev.lifeboat.it.notekind.NoteKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The restore procedure against an in-memory engine: which phases run in which order, what a scope
 * leaves alone, how a failure rolls back, and how a sandbox names what it creates. The data kinds here
 * (a volume, config files, a toy note) need no server in a container; the database kinds are proven on
 * the real rig.
 */
class RestoreOnAnInMemoryEngineTest {
    @TempDir
    Path tmp;
    private InMemoryEngine engine;
    private HistoryStore history;
    private RestoreService restores;
    private BackupService backups;
    private RestoreTestService restoreTests;
    private Path config;
    private Repositories repositories;

    @BeforeEach
    void aStackOnAnInMemoryHost() throws Exception {
        engine = new InMemoryEngine("mem").image("shop/app:1", "sha256:app1");
        config = Files.createDirectories(tmp.resolve("stacks/shop"));
        Files.writeString(config.resolve("compose.yaml"), "services: {app: {image: shop/app:1}}\n");
        Files.writeString(config.resolve(".env"), "TOKEN=first\n");
        engine.run(new ContainerSpec("shop-app", "shop/app:1", "sha256:app1", List.of("serve"), List.of(), List.of(),
                Map.of(StackDiscovery.PROJECT, "shop", StackDiscovery.WORKING_DIR, config.toString(), NoteKind.LABEL,
                        "/srv/note.txt"), null, null, null, "no", List.of(new MountSpec("volume", "shop_uploads", "/uploads", false)),
                null, true));
        engine.putFile("shop-app", "/srv/note.txt", "the note as backed up\n");
        engine.putFile("shop-app", "/uploads/a.txt", "upload a\n");
        engine.putFile("shop-app", "/uploads/photos/b.jpg", "upload b\n");

        Path home = tmp.resolve("home");
        history = HistoryStore.open(home);
        history.hosts().add(engine.host());
        repositories = new Repositories(history, new SecretStore(home, MasterPassword.standard(null)), "tester");
        Path key = tmp.resolve("repo.key");
        RepositoryKey.generate(key);
        repositories.register(new Repositories.Registration("disk", "local", tmp.resolve("backups").toString(),
                key.toString()), "tester", null);
        AssetKinds kinds = BuiltInKinds.all().with(new NoteKind());
        backups = new BackupService(repositories, h -> engine, kinds, "test");
        IntegrityVerifier verifier = new IntegrityVerifier(repositories, h -> engine, kinds);
        restores = new RestoreService(repositories, h -> engine, kinds, verifier, backups);
        restoreTests = new RestoreTestService(repositories, h -> engine, kinds, verifier, new dev.lifeboat.core.pitr.PitrRestore(history,
                repositories, h -> engine, new dev.lifeboat.core.pitr.WalShipping(history, repositories, h -> engine, kinds,
                java.time.Clock.systemUTC()), backups, java.time.Clock.systemUTC()));
    }

    @AfterEach
    void closeHistory() {
        history.close();
    }

    private String backup() {
        return backups.backup("mem", "shop", "disk", "manual", Progress.NONE).id();
    }

    private void damage() throws Exception {
        engine.putFile("shop-app", "/srv/note.txt", "damaged\n");
        engine.putFile("shop-app", "/uploads/junk.bin", "junk\n");
        Files.writeString(config.resolve(".env"), "TOKEN=changed\n");
    }

    /** That events starting with {@code expected} occur in {@code events} in this order. */
    private static void assertInOrder(List<String> events, String... expected) {
        int at = -1;
        for (String e : expected) {
            int found = -1;
            for (int i = at + 1; i < events.size(); i++) {
                if (events.get(i).startsWith(e)) {
                    found = i;
                    break;
                }
            }
            if (found < 0) {
                fail("'" + e + "' does not follow in " + events.subList(Math.max(0, at + 1), events.size()));
            }
            at = found;
        }
    }

    /** The volume's files as the app sees them: without what Lifeboat staged or set aside at its root. */
    private List<String> appFiles(String volume) {
        return engine.volumeFiles(volume).stream().filter(f -> !f.startsWith("/.lifeboat-")).toList();
    }

    /** The files of the one directory at the volume's root that starts with {@code prefix}, relative to it. */
    private List<String> filesIn(String volume, String prefix) {
        List<String> dirs = engine.volumeFiles(volume).stream().filter(f -> f.startsWith("/" + prefix))
                .map(f -> f.substring(1).split("/")[0]).distinct().toList();
        assertEquals(1, dirs.size(), "one " + prefix + "* directory in " + engine.volumeFiles(volume));
        return engine.volumeFiles(volume).stream().filter(f -> f.startsWith("/" + dirs.get(0) + "/"))
                .map(f -> f.substring(dirs.get(0).length() + 1)).toList();
    }

    @Test
    void aFullRestoreStopsTheAppsSwapsInWhatWasStagedRestoresTheRestKindByKindThenStartsThem() throws Exception {
        String pointId = backup();
        damage();
        int before = engine.events().size();
        RestoreReport report = restores.restore(pointId, new RestoreOptions(null, true, RestoreScope.ALL, null), Progress.NONE);

        // staged artifacts are checked as they stream; the verify pass reads the rest before anything is touched
        assertEquals(List.of("beside", "verify", "safety backup", "stop", "swap", "notes", "start", "health",
                "post-restore checks"), report.phases().stream().map(RunStep::name).toList());
        assertEquals("2 swapped in from beside the live data, 2 of them side by side", report.phases().stream()
                .filter(p -> p.name().equals("swap")).findFirst().orElseThrow().detail(), "the config and the volume share no container");
        List<String> restore = engine.events().subList(before, engine.events().size());
        // the volume is restored beside its data while the app still runs, and swapped in once it is stopped
        assertInOrder(restore, "mkdir shop_uploads .lifeboat-new-", "write lifeboat-helper-", "stop shop-app",
                "remove shop-app", "swap shop_uploads .lifeboat-new-", "create shop-app", "write shop-app /srv", "start shop-app");
        assertFalse(restore.stream().anyMatch(e -> e.startsWith("removeVolume")), "the volume is kept: " + restore);
        assertEquals("the note as backed up\n", engine.file("shop-app", "/srv/note.txt"));
        assertEquals(List.of("/a.txt", "/photos/b.jpg"), appFiles("shop_uploads"), "exactly the point's files");
        assertEquals(List.of("/a.txt", "/junk.bin", "/photos/b.jpg"), filesIn("shop_uploads", ".lifeboat-replaced-"),
                "what the restore replaced is kept aside in the volume");
        assertEquals("TOKEN=first\n", Files.readString(config.resolve(".env")));
        assertTrue(engine.running("shop-app"));
        assertTrue(engine.containerNames().stream().noneMatch(c -> c.startsWith("lifeboat-helper-")), "helpers removed");
        assertEquals(List.of("config", "volume"), report.keptAside().stream().map(k -> k.kind()).sorted().toList());
        assertEquals(report.keptAside().size(), history.safetyCopies().held("mem", "shop").size());
        String configAside = report.keptAside().stream().filter(k -> k.kind().equals("config")).findFirst().orElseThrow().item();
        assertEquals("TOKEN=changed\n", Files.readString(Path.of(configAside).resolve(".env")),
                "the config directory it replaced is kept beside it, as it was");
        assertTrue(report.safetyPointId() != null, "the note, restored in place, is in a safety point");
    }

    @Test
    void whatWasStagedIsWrittenToDiskBeforeTheStackIsStopped() throws Exception {
        String pointId = backup();
        damage();
        int before = engine.events().size();
        List<Integer> syncedAt = new java.util.concurrent.CopyOnWriteArrayList<>();
        engine.execs((container, cmd, env, stdin, stdout) -> {
            if (cmd.equals(List.of("sync"))) {
                syncedAt.add(engine.events().size());
                return new dev.lifeboat.core.host.ExecResult(0, "");
            }
            return new dev.lifeboat.core.host.ExecResult(127, "no " + cmd.get(0) + " here");
        });
        restores.restore(pointId, new RestoreOptions(null, true, RestoreScope.ALL, null), Progress.NONE);
        assertEquals(1, syncedAt.size(), "one flush, after staging");
        List<String> events = engine.events();
        int staged = -1;
        int stopped = -1;
        for (int i = before; i < events.size(); i++) {
            if (events.get(i).startsWith("write lifeboat-helper-")) {
                staged = i;
            }
            if (stopped < 0 && events.get(i).equals("stop shop-app")) {
                stopped = i;
            }
        }
        assertTrue(staged >= 0 && stopped > staged, events.subList(before, events.size()).toString());
        assertTrue(syncedAt.get(0) > staged && syncedAt.get(0) <= stopped, "flushed after the volume was staged (event " + staged
                + ") and before the app was stopped (event " + stopped + "): at " + syncedAt.get(0));
    }

    @Test
    void whatARestoreKeptAsideStaysOutOfBackupsAndGoesOnReleaseOrWhenItsRetentionEnds() throws Exception {
        String first = backup();
        damage();
        RestoreScope volume = new RestoreScope(List.of("volume:shop_uploads"));
        var kept = restores.restore(first, new RestoreOptions(null, true, volume, null), Progress.NONE).keptAside();
        assertEquals(1, kept.size());
        String second = backup();
        try (var located = new dev.lifeboat.core.storage.PointLocator(repositories).locate(second)) {
            var v = located.manifest().assets().stream().filter(a -> a.name().equals("volume:shop_uploads")).findFirst().orElseThrow();
            assertEquals(4L, v.fileCount(), "the root, a.txt, photos and photos/b.jpg: nothing of what was kept aside");
        }
        engine.putFile("shop-app", "/uploads/more.txt", "more\n");
        var again = restores.restore(second, new RestoreOptions(null, true, volume, null), Progress.NONE).keptAside();
        assertEquals(2, history.safetyCopies().held("mem", "shop").size());
        assertEquals(List.of("/a.txt", "/more.txt", "/photos/b.jpg"), filesIn("shop_uploads", again.get(0).item()),
                "the second restore kept what it replaced, and the first copy stayed as it was");

        SafetyCopies copies = new SafetyCopies(history, h -> engine, BuiltInKinds.all(), java.time.Clock.systemUTC(), "tester");
        assertEquals(0, copies.releaseExpired(), "both are within their retention");
        copies.release(again.get(0).id());
        assertTrue(engine.volumeFiles("shop_uploads").stream().noneMatch(f -> f.startsWith("/" + again.get(0).item())));
        assertThrows(LifeboatException.class, () -> copies.release(again.get(0).id()), "released once");
        SafetyCopies eightDaysOn = new SafetyCopies(history, h -> engine, BuiltInKinds.all(),
                java.time.Clock.offset(java.time.Clock.systemUTC(), java.time.Duration.ofDays(8)), "tester");
        assertEquals(1, eightDaysOn.releaseExpired());
        assertEquals(List.of("/a.txt", "/photos/b.jpg"), engine.volumeFiles("shop_uploads"), "no copy left in the volume");
        assertTrue(history.safetyCopies().held("mem", "shop").isEmpty());
    }

    @Test
    void aKeptConfigDirectoryIsReleasedAndARecordPointingElsewhereIsRefused() throws Exception {
        String pointId = backup();
        damage();
        var kept = restores.restore(pointId, new RestoreOptions(null, true, new RestoreScope(List.of("config")), null),
                Progress.NONE).keptAside();
        assertEquals(1, kept.size());
        Path aside = Path.of(kept.get(0).item());
        assertTrue(Files.isDirectory(aside));
        // a history row that names another directory (edited by hand, or forged) never makes Lifeboat delete it
        Path elsewhere = Files.createDirectories(tmp.resolve("precious"));
        var forged = new dev.lifeboat.core.history.SafetyCopyRepository.Kept("forged", "mem", "shop", "r", pointId, "config",
                kept.get(0).asset(), kept.get(0).location(), elsewhere.toString(), null, "forged", kept.get(0).keptAt(),
                kept.get(0).expiresAt(), null, null);
        history.safetyCopies().record(forged);
        SafetyCopies copies = new SafetyCopies(history, h -> engine, BuiltInKinds.all(), java.time.Clock.systemUTC(), "tester");
        assertThrows(LifeboatException.class, () -> copies.release("forged"));
        assertTrue(Files.isDirectory(elsewhere));
        copies.release(kept.get(0).id());
        assertFalse(Files.exists(aside));
        assertEquals("TOKEN=first\n", Files.readString(config.resolve(".env")));
    }

    @Test
    void aDamagedArtifactThatStagingDoesNotReadIsStillRefusedBeforeTheStackIsStopped() throws Exception {
        String pointId = backup();
        damage();
        Path index;
        try (var files = Files.walk(tmp.resolve("backups"))) {
            index = files.filter(f -> f.getFileName().toString().startsWith("volume-shop_uploads.index")).findFirst().orElseThrow();
        }
        byte[] b = Files.readAllBytes(index);
        b[b.length / 2] ^= 0x01;
        Files.write(index, b);
        int before = engine.events().size();
        dev.lifeboat.core.IntegrityException e = assertThrows(dev.lifeboat.core.IntegrityException.class, () -> restores.restore(
                pointId, new RestoreOptions(null, true, RestoreScope.ALL, null), Progress.NONE));
        assertTrue(e.getMessage().contains("nothing was changed") && e.getMessage().contains(index.getFileName().toString()),
                e.getMessage());
        assertFalse(engine.events().subList(before, engine.events().size()).stream().anyMatch(x -> x.startsWith("stop ")
                || x.startsWith("swap ")), "the stack was never stopped");
        assertEquals(List.of("/a.txt", "/junk.bin", "/photos/b.jpg"), engine.volumeFiles("shop_uploads"),
                "the live data as it was, and nothing staged left behind");
    }

    @Test
    void howLongWhatARestoreReplacedIsKeptIsSetPerStack() throws Exception {
        var d = dev.lifeboat.core.model.StackSettings.defaults("mem", "shop");
        history.plans().saveSettings(new dev.lifeboat.core.model.StackSettings("mem", "shop", d.rto(), d.rpo(), 0, java.util.Map.of(),
                java.util.Map.of(), null, 30, null, java.time.Duration.ofDays(2)));
        String pointId = backup();
        damage();
        var kept = restores.restore(pointId, new RestoreOptions(null, true, new RestoreScope(List.of("volume:shop_uploads")), null),
                Progress.NONE).keptAside();
        assertEquals(java.time.Duration.ofDays(2), java.time.Duration.between(kept.get(0).keptAt(), kept.get(0).expiresAt()));
        SafetyCopies threeDaysOn = new SafetyCopies(history, h -> engine, BuiltInKinds.all(),
                java.time.Clock.offset(java.time.Clock.systemUTC(), java.time.Duration.ofDays(3)), "tester");
        assertEquals(1, threeDaysOn.releaseExpired());
        assertEquals(List.of("/a.txt", "/photos/b.jpg"), engine.volumeFiles("shop_uploads"));
    }

    @Test
    void aHostWithoutRoomForBothCopiesIsToldSoAndCanRestoreInPlaceAfterASafetyBackup() throws Exception {
        String pointId = backup();
        damage();
        engine.volumeFree("shop_uploads", 1 << 20);
        int before = engine.events().size();
        int points = history.points().of("mem", "shop").size();
        LifeboatException e = assertThrows(LifeboatException.class, () -> restores.restore(pointId,
                new RestoreOptions(null, true, RestoreScope.ALL, null), Progress.NONE));
        assertTrue(e.getMessage().contains("Not enough room to restore volume shop_uploads") && e.getMessage().contains(
                "nothing was changed") && e.getMessage().contains("lifeboat restore " + pointId + " --in-place"), e.getMessage());
        assertFalse(engine.events().subList(before, engine.events().size()).stream().anyMatch(x -> x.startsWith("stop ")
                || x.startsWith("mkdir ")), "nothing was touched");
        assertEquals(points, history.points().of("mem", "shop").size());

        RestoreReport r = restores.restore(pointId, new RestoreOptions(null, true, RestoreScope.ALL, null).inPlace(), Progress.NONE);
        assertTrue(r.safetyPointId() != null, "in place, the safety backup holds what is replaced");
        assertTrue(r.keptAside().isEmpty());
        assertEquals(List.of("/a.txt", "/photos/b.jpg"), engine.volumeFiles("shop_uploads"));
    }

    @Test
    void aVolumeArtifactDamagedAfterTheVerifyPassFailsWhileStagingAndTheStackIsNeverStopped() throws Exception {
        String pointId = backup();
        damage();
        int pointsBefore = history.points().of("mem", "shop").size();
        Path tar;
        try (var files = Files.walk(tmp.resolve("backups"))) {
            tar = files.filter(f -> f.getFileName().toString().startsWith("volume-shop_uploads.tar")).findFirst().orElseThrow();
        }
        int before = engine.events().size();
        // the destination serves other bytes once the verify pass is over
        Progress swapAfterVerify = (phase, message) -> {
            if (phase.equals("beside")) {
                try {
                    byte[] b = Files.readAllBytes(tar);
                    b[b.length / 2] ^= 0x01;
                    Files.write(tar, b);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        };
        LifeboatException e = assertThrows(LifeboatException.class, () -> restores.restore(pointId,
                new RestoreOptions(null, true, RestoreScope.ALL, null), swapAfterVerify));
        assertTrue(e.getMessage().contains("nothing was changed"), e.getMessage());
        List<String> events = engine.events().subList(before, engine.events().size());
        assertFalse(events.stream().anyMatch(x -> x.startsWith("stop ") || x.startsWith("swap ") || x.startsWith("remove shop-app")),
                "the stack was never stopped: " + events);
        assertTrue(engine.running("shop-app"));
        assertEquals(List.of("/a.txt", "/junk.bin", "/photos/b.jpg"), engine.volumeFiles("shop_uploads"),
                "the live data as it was, and nothing staged left behind");
        assertEquals("damaged\n", engine.file("shop-app", "/srv/note.txt"));
        assertEquals(pointsBefore, history.points().of("mem", "shop").size(), "no safety backup was needed");
        assertTrue(history.safetyCopies().held("mem", "shop").isEmpty());
    }

    @Test
    void aScopedRestoreTouchesOnlyWhatItNames() throws Exception {
        String pointId = backup();
        damage();
        int before = engine.events().size();
        restores.restore(pointId, new RestoreOptions(null, false, new RestoreScope(List.of("note")), null), Progress.NONE);
        List<String> events = engine.events().subList(before, engine.events().size());
        assertFalse(events.contains("stop shop-app") || events.contains("remove shop-app"),
                "a partial restore leaves the app running: " + events);
        assertEquals("the note as backed up\n", engine.file("shop-app", "/srv/note.txt"));
        assertTrue(engine.volumeFiles("shop_uploads").contains("/junk.bin"), "the volume is not in scope");
        assertEquals("TOKEN=changed\n", Files.readString(config.resolve(".env")), "the config is not in scope");
    }

    @Test
    void restoringOneVolumeOfARunningStackSwapsItInUnderTheContainersThatMountItAsTheyAre() throws Exception {
        String pointId = backup();
        damage();
        // the app was upgraded since the backup: the volume comes back, the app stays on its new version
        engine.image("shop/app:2", "sha256:app2");
        ContainerSpec live = engine.inspect("shop-app").orElseThrow();
        engine.stop("shop-app", 10);
        engine.remove("shop-app");
        engine.run(new ContainerSpec("shop-app", "shop/app:2", "sha256:app2", List.of("serve", "--v2"), List.of(), List.of(),
                live.labels(), null, null, null, "no", live.mounts(), null, true));
        int before = engine.events().size();
        RestoreReport report = restores.restore(pointId, new RestoreOptions(null, true,
                new RestoreScope(List.of("volume:shop_uploads")), null), Progress.NONE);
        assertEquals(List.of("/a.txt", "/photos/b.jpg"), appFiles("shop_uploads"));
        assertTrue(engine.running("shop-app"), "the container that mounts it runs again");
        ContainerSpec now = engine.inspect("shop-app").orElseThrow();
        assertEquals("shop/app:2", now.image(), "the container as it is, not the point's");
        assertEquals(List.of("serve", "--v2"), now.cmd());
        assertEquals(null, report.safetyPointId(), "all in scope was restored beside: the replaced data is kept, not backed up");
        assertInOrder(engine.events().subList(before, engine.events().size()), "write lifeboat-helper-", "stop shop-app",
                "swap shop_uploads", "start shop-app");
    }

    @Test
    void aFailureAfterTheDataIsReplacedRollsBackToTheSafetyPoint() throws Exception {
        String pointId = backup();
        damage();
        engine.failOnce("start shop-app");
        LifeboatException e = assertThrows(LifeboatException.class, () -> restores.restore(pointId,
                new RestoreOptions(null, true, RestoreScope.ALL, null), Progress.NONE));
        assertTrue(e.getMessage().contains("Rolled back to the safety point"), e.getMessage());
        assertEquals("damaged\n", engine.file("shop-app", "/srv/note.txt"), "as it was before the restore");
        assertEquals(List.of("/a.txt", "/junk.bin", "/photos/b.jpg"), engine.volumeFiles("shop_uploads"),
                "the volume swapped back as it was before the restore, with nothing of Lifeboat's left in it");
        assertEquals("TOKEN=changed\n", Files.readString(config.resolve(".env")), "as it was before the restore");
        assertTrue(engine.running("shop-app"));
        assertTrue(history.safetyCopies().held("mem", "shop").isEmpty(), "the data set aside is live again, not a copy");
    }

    @Test
    void aRestoreTestBuildsItsSandboxUnderItsOwnNamesAndLeavesNothingBehind() {
        String pointId = backup();
        var liveContainers = engine.containerNames();
        var liveVolumes = engine.volumeNames();
        var report = restoreTests.test(pointId, null, Progress.NONE);
        assertTrue(report.ok(), report.checks().toString());
        List<String> created = engine.events().stream().filter(e -> e.startsWith("create ") || e.startsWith("createVolume ")
                || e.startsWith("createNetwork ")).map(e -> e.substring(e.indexOf(' ') + 1))
                .filter(n -> !n.startsWith("lifeboat-helper-")).toList();
        assertFalse(created.isEmpty());
        for (String name : created) {
            assertTrue(name.startsWith("lbx-"), "a sandbox object has the sandbox's own name: " + name);
        }
        assertEquals(liveContainers, engine.containerNames(), "sandbox containers removed, the stack untouched");
        assertEquals(liveVolumes, engine.volumeNames(), "sandbox volumes removed");
        assertTrue(engine.networkNames().isEmpty(), "the sandbox network removed");
        assertTrue(engine.running("shop-app"));
    }
}
