package dev.lifeboat.it;

import dev.lifeboat.core.IntegrityException;
import dev.lifeboat.core.host.HostFiles;
import dev.lifeboat.core.kinds.config.ConfigRestorer;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.transport.verification.HostKeyVerifier;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PublicKey;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A config directory that someone changed after the backup cannot make a restore, run as root, write
 * outside it: on this machine and over SFTP to a real OpenSSH server.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConfigRestoreSafetyIT {
    @TempDir
    Path tmp;
    private SshServer sshd;
    private SSHClient ssh;

    @BeforeAll
    void startSshd(@TempDir Path sshdDir) throws Exception {
        sshd = SshServer.start(sshdDir);
        ssh = new SSHClient();
        String fingerprint = sshd.fingerprint();
        ssh.addHostKeyVerifier(new HostKeyVerifier() {
            @Override
            public boolean verify(String host, int port, PublicKey key) {
                try {
                    byte[] blob = new net.schmizz.sshj.common.Buffer.PlainBuffer().putPublicKey(key).getCompactData();
                    return fingerprint.equals("SHA256:" + java.util.Base64.getEncoder().withoutPadding().encodeToString(
                            java.security.MessageDigest.getInstance("SHA-256").digest(blob)));
                } catch (java.security.NoSuchAlgorithmException e) {
                    return false;
                }
            }

            @Override
            public List<String> findExistingAlgorithms(String host, int port) {
                return List.of();
            }
        });
        ssh.connect("127.0.0.1", sshd.port());
        ssh.authPublickey("root", ssh.loadKeys(sshd.clientKey().toString()));
    }

    @AfterAll
    void stopSshd() throws Exception {
        ssh.close();
        sshd.close();
    }

    private HostFiles files(String where) throws Exception {
        return where.equals("local") ? HostFiles.local() : HostFiles.sftp(ssh.newSFTPClient());
    }

    /** The point's config: certs/ with a key, a compose file, and a link inside the tree. */
    private static byte[] pointTar() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            dir(tar, "./", 0755);
            dir(tar, "certs/", 0750);
            file(tar, "certs/site.key", "KEY FROM THE POINT\n", 0600);
            file(tar, "docker-compose.yml", "services: {}\n", 0644);
            TarArchiveEntry link = new TarArchiveEntry("current.key", TarArchiveEntry.LF_SYMLINK);
            link.setLinkName("certs/site.key");
            tar.putArchiveEntry(link);
            tar.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }

    private static void dir(TarArchiveOutputStream tar, String name, int mode) throws Exception {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setMode(TarArchiveEntry.DEFAULT_DIR_MODE & ~0777 | mode);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
    }

    private static void file(TarArchiveOutputStream tar, String name, String content, int mode) throws Exception {
        byte[] b = content.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(b.length);
        e.setMode(TarArchiveEntry.DEFAULT_FILE_MODE & ~0777 | mode);
        tar.putArchiveEntry(e);
        tar.write(b);
        tar.closeArchiveEntry();
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "sftp"})
    void aSubdirectoryReplacedByALinkAfterTheBackupIsNeverWrittenThrough(String where) throws Exception {
        Path live = tmp.resolve("stack");
        Path outside = tmp.resolve("etc");
        Files.createDirectories(outside);
        Files.writeString(outside.resolve("site.key"), "the host's own file\n");
        Files.setPosixFilePermissions(outside, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectories(live);
        Files.createSymbolicLink(live.resolve("certs"), outside); // planted after the backup

        try (HostFiles f = files(where)) {
            ConfigRestorer.replace(new ByteArrayInputStream(pointTar()), f, live.toString(), "run1", false);
        }

        assertEquals("the host's own file\n", Files.readString(outside.resolve("site.key")), "outside untouched");
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(outside)), "no chmod through the link");
        assertTrue(Files.isDirectory(live.resolve("certs"), LinkOption.NOFOLLOW_LINKS), "certs is a directory again");
        assertEquals("KEY FROM THE POINT\n", Files.readString(live.resolve("certs/site.key")));
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(live.resolve("certs/site.key"), LinkOption.NOFOLLOW_LINKS)));
        assertEquals(Path.of("certs/site.key"), Files.readSymbolicLink(live.resolve("current.key")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "sftp"})
    void aTarEntryBehindALinkEntryIsRefusedAndTheLiveDirectoryStaysAsItWas(String where) throws Exception {
        Path live = tmp.resolve("stack2");
        Path outside = tmp.resolve("victim");
        Files.createDirectories(outside);
        Files.createDirectories(live);
        Files.writeString(live.resolve("docker-compose.yml"), "live\n");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            TarArchiveEntry link = new TarArchiveEntry("sub", TarArchiveEntry.LF_SYMLINK);
            link.setLinkName(outside.toString());
            tar.putArchiveEntry(link);
            tar.closeArchiveEntry();
            file(tar, "sub/authorized_keys", "ssh-ed25519 AAAA attacker\n", 0644);
        }

        try (HostFiles f = files(where)) {
            assertThrows(IntegrityException.class, () -> ConfigRestorer.replace(new ByteArrayInputStream(bytes.toByteArray()),
                    f, live.toString(), "run2", false));
        }

        assertFalse(Files.exists(outside.resolve("authorized_keys")), "nothing written through the link");
        assertEquals("live\n", Files.readString(live.resolve("docker-compose.yml")), "live directory untouched");
        try (var left = Files.list(tmp)) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().contains("lifeboat-new")), "no staging left behind");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "sftp"})
    void theDirectoryBecomesEqualToThePointAndAddedFilesAreKeptAsideWhenNoSafetyPointHoldsThem(String where)
            throws Exception {
        Path live = tmp.resolve("stack3");
        Files.createDirectories(live);
        Files.writeString(live.resolve("docker-compose.override.yml"), "planted\n");

        ConfigRestorer.Result r;
        try (HostFiles f = files(where)) {
            r = ConfigRestorer.replace(new ByteArrayInputStream(pointTar()), f, live.toString(), "run3", true);
        }

        assertFalse(Files.exists(live.resolve("docker-compose.override.yml")), "the planted override does not survive");
        assertTrue(Files.exists(live.resolve("docker-compose.yml")));
        assertEquals("planted\n", Files.readString(Path.of(r.keptAt()).resolve("docker-compose.override.yml")));

        try (HostFiles f = files(where)) {
            r = ConfigRestorer.replace(new ByteArrayInputStream(pointTar()), f, live.toString(), "run4", false);
        }
        assertEquals(null, r.keptAt());
        try (var left = Files.list(tmp)) {
            assertFalse(left.anyMatch(p -> p.getFileName().toString().contains("run4")), "the replaced copy is deleted");
        }
    }
}
