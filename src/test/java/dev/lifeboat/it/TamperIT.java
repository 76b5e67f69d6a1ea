package dev.lifeboat.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Someone who can write to a destination but has no key cannot pass one point off as another, replay a
 * manifest from elsewhere, delete a point unnoticed, or make prune delete genuine points.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TamperIT {
    @TempDir
    static Path tmp;
    private Rig.DemoHome demo;
    private String p1;
    private String p2;
    private String p3;

    @BeforeAll
    void demoStack() {
        demo = Rig.demoHome(tmp, Rig.uniqueName("tamper"), false);
        p1 = backup();
        p2 = backup();
        p3 = backup();
    }

    @AfterAll
    void removeDemoStack() {
        Rig.removeByLabel(demo.name());
    }

    private String backup() {
        return demo.run("backup", demo.stack(), "--to", "disk", "-q").ok().out().trim();
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void deleteTree(Path dir) throws Exception {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    @Order(1)
    void aPointCopiedOverAnotherIsRefusedByVerifyAndRestoreNamingBothIds() throws Exception {
        Path saved = tmp.resolve("p2-original");
        copyTree(demo.pointDir(p2), saved);
        copyTree(demo.pointDir(p1), demo.pointDir(p2));
        String appBefore = Rig.docker("inspect", "-f", "{{.Id}}", demo.name() + "-app").trim();
        try {
            Rig.Result verify = demo.run("verify", p2);
            assertEquals(4, verify.code(), verify.out() + verify.err());
            assertTrue(verify.err().contains(p2) && verify.err().contains(p1), verify.err());

            Rig.Result restore = demo.run("restore", p2);
            assertEquals(4, restore.code(), restore.err());
            assertTrue(restore.err().contains(p2) && restore.err().contains(p1), restore.err());
            assertEquals(appBefore, Rig.docker("inspect", "-f", "{{.Id}}", demo.name() + "-app").trim(), "nothing touched");

            // a fresh workstation without this history finds the point by scanning, and refuses it too
            Path fresh = tmp.resolve("fresh-home");
            Rig.lifeboat(fresh, "dest", "add", "disk", "--dir", demo.dest().toString(), "--key-file",
                    tmp.resolve("repo.key").toString()).ok();
            Rig.Result scanned = Rig.lifeboat(fresh, "verify", p2);
            assertEquals(4, scanned.code(), scanned.err());
            assertTrue(scanned.err().contains(p1), scanned.err());
        } finally {
            deleteTree(demo.pointDir(p2));
            copyTree(saved, demo.pointDir(p2));
        }
        demo.run("verify", p2).ok();
    }

    @Test
    @Order(2)
    void manifestsReplayedIntoAnotherStackOrAnotherDestinationAreNamedAsSuch() throws Exception {
        Path otherStack = demo.dest().resolve("local").resolve("other-stack").resolve(p1);
        copyTree(demo.pointDir(p1), otherStack);
        Rig.Result chain = demo.run("verify", "--chain", "local/other-stack");
        assertEquals(4, chain.code(), chain.out());
        assertTrue(chain.out().contains("replayed from another stack"), chain.out());

        Path second = tmp.resolve("backups-2");
        demo.run("dest", "add", "disk2", "--dir", second.toString(), "--key-file", tmp.resolve("repo.key").toString()).ok();
        copyTree(demo.pointDir(p1), second.resolve("local").resolve(demo.name()).resolve(p1));
        Rig.Result replay = demo.run("verify", "--chain", demo.stack());
        assertEquals(4, replay.code(), replay.out());
        assertTrue(replay.out().contains("replayed from another destination"), replay.out());
        deleteTree(second.resolve("local"));
        deleteTree(demo.dest().resolve("local").resolve("other-stack"));
    }

    @Test
    @Order(3)
    void aPointPrunedByLifeboatKeepsTheChainIntactAndOneDeletedByHandBreaksItThere() throws Exception {
        // the tampering above made verify fail: those points (and the one before each) were held as suspicious,
        // and prune would keep them; the admin has looked (the files are back) and releases them
        List<String> held = demo.run("points", "held").ok().out().lines().map(l -> l.split("\\s+")[0]).toList();
        assertTrue(held.contains(p2), "a point that failed verify is held: " + held);
        for (String id : held) {
            demo.run("points", "release", id).ok();
        }
        demo.run("verify", "--chain", demo.stack()).ok();
        // retention removes the older two (one point per hour is kept): accounted for in the signed deletion log
        demo.run("prune", demo.stack(), "--to", "disk", "--keep-hourly", "1", "--keep-daily", "0", "--keep-weekly", "0",
                "--keep-monthly", "0").ok();
        assertFalse(Files.exists(demo.pointDir(p1)) || Files.exists(demo.pointDir(p2)));
        assertTrue(Files.exists(demo.pointDir(p3)));
        Rig.Result afterPrune = demo.run("verify", "--chain", demo.stack());
        assertEquals(0, afterPrune.code(), afterPrune.out() + afterPrune.err());

        // someone deletes a point by hand: the chain breaks right after it, and says so
        String p4 = backup();
        String p5 = backup();
        demo.run("verify", "--chain", demo.stack()).ok();
        deleteTree(demo.pointDir(p4));
        Rig.Result broken = demo.run("verify", "--chain", demo.stack());
        assertEquals(4, broken.code(), broken.out());
        assertTrue(broken.out().contains("breaks before point " + p5), broken.out());
    }

    @Test
    @Order(4)
    void aYearOfPlantedFutureDirectoriesCostsNoGenuinePointAndRaisesAnAlert() throws Exception {
        String genuine = backup();
        DateTimeFormatter id = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
        Path stackDir = demo.dest().resolve("local").resolve(demo.name());
        for (int day = 1; day <= 366; day++) {
            Path planted = stackDir.resolve(id.format(Instant.now().plus(day, ChronoUnit.DAYS)) + "-abcdef");
            Files.createDirectories(planted);
            Files.write(planted.resolve("manifest.json"), new byte[0]);
        }
        List<String> before = genuinePoints();
        assertTrue(before.contains(genuine) && before.contains(p3), before.toString());

        Rig.Result prune = demo.run("prune", demo.stack(), "--to", "disk", "--keep-hourly", "24");
        prune.ok();

        // all genuine points were taken within this hour: the policy keeps the newest, whatever was planted
        List<String> after = genuinePoints();
        assertEquals(List.of(genuine), after, "the newest genuine point keeps its slot: " + prune.out());
        try (Stream<Path> left = Files.list(stackDir)) {
            assertEquals(366 + after.size(), left.filter(Files::isDirectory).filter(p -> !p.getFileName().toString()
                    .startsWith(".")).count(), "the planted directories are reported, not deleted");
        }
        assertTrue(prune.out().contains("dated in the future"), prune.out());
        String alerts = demo.run("alert", "list").ok().out();
        assertTrue(alerts.contains("future"), alerts);
    }

    private List<String> genuinePoints() throws Exception {
        try (Stream<Path> s = Files.list(demo.dest().resolve("local").resolve(demo.name()))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".") && n.compareTo("2026") > 0)
                    .filter(n -> n.compareTo(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC)
                            .format(Instant.now().plus(1, ChronoUnit.HOURS))) < 0)
                    .sorted().toList();
        }
    }
}
