package dev.lifeboat.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A stack a little bigger than the demo (three databases with data, a volume with 1,500 small files and
 * one of 30 MB) backed up to an SFTP destination on a real OpenSSH server, where the databases and the
 * volume are written in parallel: five backups in a row, each verified, then a restore that is equal.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SftpLoadIT {
    @TempDir
    static Path tmp;
    private SshServer sshd;
    private Rig.DemoHome demo;

    @BeforeAll
    void stackAndServer() throws Exception {
        sshd = SshServer.start(tmp.resolve("sshd"));
        demo = Rig.demoHome(tmp, Rig.uniqueName("sftpload"), false);
        String app = demo.name() + "-app";
        Rig.docker("exec", app, "sh", "-c", "mkdir -p /srv/uploads/thumbs && cd /srv/uploads/thumbs"
                + " && i=0; while [ $i -lt 1500 ]; do echo \"thumbnail $i $(date +%N)\" > t$i.txt; i=$((i+1)); done"
                + " && dd if=/dev/urandom of=/srv/uploads/video.bin bs=1M count=30 2>/dev/null");
        String db = demo.name() + "-db";
        Rig.docker("exec", "-u", "postgres", db, "psql", "-X", "-q", "-h", "/var/run/postgresql", "-d", "postgres", "-c",
                "CREATE DATABASE reports");
        Rig.docker("exec", "-u", "postgres", db, "psql", "-X", "-q", "-h", "/var/run/postgresql", "-d", "reports", "-c",
                "CREATE TABLE lines AS SELECT g AS id, md5(g::text) || repeat(' report text', 20) AS body"
                        + " FROM generate_series(1, 150000) g");
        Path remoteDir = tmp.resolve("store");
        demo.run("dest", "add", "vault", "--sftp", "root@127.0.0.1:" + sshd.port() + ":" + remoteDir, "--identity",
                sshd.clientKey().toString(), "--accept-host-key", sshd.fingerprint(), "--key-file",
                tmp.resolve("repo.key").toString()).ok();
    }

    @AfterAll
    void tearDown() throws Exception {
        Rig.removeByLabel(demo.name());
        sshd.close();
    }

    private String logTail() {
        try {
            String log = java.nio.file.Files.readString(tmp.resolve("sshd/sshd.log"));
            return "sshd: " + log.substring(Math.max(0, log.length() - 6000));
        } catch (java.io.IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Test
    void fiveBackupsInARowWithParallelWritersLandIntactAndTheLastRestoresEqual() throws Exception {
        List<String> dbs = List.of("shop", "analytics", "reports");
        Map<String, String> before = StackFingerprint.postgres(demo.pgPort(), dbs);
        String uploads = StackFingerprint.volume(demo.name() + "_uploads");
        String last = null;
        for (int i = 0; i < 5; i++) {
            Rig.Result r = demo.run("backup", demo.stack(), "--to", "vault", "-q");
            assertEquals(0, r.code(), "backup " + (i + 1) + " of 5: " + r.err() + "\n" + logTail());
            last = r.out().trim();
            demo.run("verify", last).ok();
        }
        Rig.docker("exec", demo.name() + "-app", "sh", "-c", "rm -rf /srv/uploads/thumbs");
        demo.run("restore", last, "-q").ok();
        assertEquals(before, StackFingerprint.postgres(demo.pgPort(), dbs));
        assertEquals(uploads, StackFingerprint.volume(demo.name() + "_uploads"));
        assertTrue(uploads.contains("video.bin"), "the large file is part of the comparison");
    }
}
