package dev.lifeboat.it;

import dev.lifeboat.AppContext;
import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.Progress;
import dev.lifeboat.core.asset.RestoreScope;
import dev.lifeboat.core.history.RunStep;
import dev.lifeboat.core.kinds.BuiltInKinds;
import dev.lifeboat.core.model.Check;
import dev.lifeboat.core.model.RecoveryPoint;
import dev.lifeboat.core.restore.RestoreOptions;
import dev.lifeboat.core.secrets.MasterPassword;
import dev.lifeboat.core.storage.PointLocator;
import dev.lifeboat.core.verify.VerifyReport;
import dev.lifeboat.it.notekind.NoteKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A kind added from outside the core (the toy {@link NoteKind}, in the test sources only) goes through
 * discovery, backup, verify, restore, the restore plan, scopes and the sandbox checks by registering it;
 * a Lifeboat without it refuses to restore the point rather than drop the note silently.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ToyKindIT {
    @TempDir
    static Path tmp;
    private final String name = Rig.uniqueName("note");
    private Path home;

    @BeforeAll
    void aContainerWithANote() {
        home = tmp.resolve("home");
        Rig.lifeboat(home, "host", "add", "local", "--docker", "unix:///var/run/docker.sock").ok();
        Rig.lifeboat(home, "key", "generate", tmp.resolve("repo.key").toString()).ok();
        Rig.lifeboat(home, "dest", "add", "disk", "--dir", tmp.resolve("backups").toString(), "--key-file",
                tmp.resolve("repo.key").toString()).ok();
        Rig.docker("run", "-d", "--name", name, "--network", "none", "--label", "lifeboat.demo=" + name,
                "--label", "com.docker.compose.project=" + name, "--label", NoteKind.LABEL + "=/srv/note.txt",
                Rig.IMAGE, "sleep", "infinity");
        write("first words of the note\n");
    }

    @AfterAll
    void remove() {
        Rig.removeByLabel(name);
    }

    private void write(String text) {
        Rig.docker("exec", name, "sh", "-c", "mkdir -p /srv && printf '%s' \"$0\" > /srv/note.txt", text);
    }

    private String note() {
        return Rig.docker("exec", name, "cat", "/srv/note.txt");
    }

    @Test
    void aKindRegisteredFromOutsideTheCoreBacksUpVerifiesAndRestoresThroughTheRegistry() {
        try (AppContext app = new AppContext(home, MasterPassword.standard(null), BuiltInKinds.all().with(new NoteKind()))) {
            RecoveryPoint point = app.backups().backup("local", name, "disk", "manual", Progress.NONE);
            try (PointLocator.Located located = new PointLocator(app.repositories()).locate(point.id())) {
                assertEquals(List.of("stack", "note"), located.manifest().assets().stream().map(a -> a.kind()).toList(),
                        "the manifest names the kind");
            }

            VerifyReport verified = app.verifier().verify(point.id(), Progress.NONE);
            assertTrue(verified.ok(), verified.toString());
            assertTrue(verified.checks().stream().anyMatch(c -> c.detail().contains("UTF-8 text")),
                    "the kind checked the content: " + verified.checks());

            var plan = app.restores().plan(point.id(), new RestoreOptions(null, true,
                    app.kinds().scope(List.of("note:" + name)), null));
            assertEquals(List.of("note /srv/note.txt in " + name), plan.overwritten());
            assertTrue(plan.phases().contains("notes"), plan.phases().toString());

            var tested = app.restoreTests().test(point.id(), null, Progress.NONE);
            assertTrue(tested.ok(), tested.checks().toString());
            assertTrue(tested.checks().stream().map(Check::name).anyMatch(n -> n.equals("note:" + name + ": text")),
                    "the sandbox checks ran the kind's check: " + tested.checks());

            write("overwritten by mistake\n");
            var report = app.restores().restore(point.id(), new RestoreOptions(null, true, RestoreScope.ALL, null),
                    Progress.NONE);
            assertEquals("first words of the note\n", note());
            assertTrue(report.phases().stream().map(RunStep::name).toList().contains("notes"), report.phases().toString());
            assertTrue(report.safetyPointId() != null, "the safety point was taken through the kind too");
            try (PointLocator.Located safety = new PointLocator(app.repositories()).locate(report.safetyPointId())) {
                assertTrue(safety.manifest().assets().stream().anyMatch(a -> a.kind().equals(NoteKind.ID)),
                        "the safety point holds the note it replaced");
            }
        }
    }

    @Test
    void aLifeboatWithoutTheKindRefusesToRestoreThePointAndSaysWhy() {
        String pointId;
        try (AppContext app = new AppContext(home, MasterPassword.standard(null), BuiltInKinds.all().with(new NoteKind()))) {
            pointId = app.backups().backup("local", name, "disk", "manual", Progress.NONE).id();
        }
        write("changed after the backup\n");
        try (AppContext plain = new AppContext(home)) {
            VerifyReport verified = plain.verifier().verify(pointId, Progress.NONE);
            assertTrue(verified.ok(), "hashes and authentication still hold: " + verified);
            assertTrue(verified.checks().stream().anyMatch(c -> c.detail().contains("kind note is not known here")),
                    verified.checks().toString());
            LifeboatException e = assertThrows(LifeboatException.class, () -> plain.restores().restore(pointId,
                    new RestoreOptions(null, true, RestoreScope.ALL, null), Progress.NONE));
            assertTrue(e.getMessage().contains("note:" + name + " (note)") && e.getMessage().contains("nothing was changed"),
                    e.getMessage());
            assertEquals("changed after the backup\n", note(), "nothing was touched");
        }
    }
}
