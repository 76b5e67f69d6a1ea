package dev.lifeboat.it;

import dev.lifeboat.core.storage.ManifestCodec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The secret store end to end, on real components: an SSH host whose key is passphrase-protected, an S3
 * destination (S3Proxy with authentication) whose credentials and repository key live only in the
 * store. None of the secrets may appear in the home directory (H2 database, logs) or the destination.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecretsIT {
    private static final String PASSPHRASE = "ssh-passphrase-4e1c9a";
    private static final String MASTER = "master-password-77b2f0";

    @TempDir
    static Path tmp;
    private SshServer sshd;
    private S3Server s3;
    private Rig.DemoHome demo;

    @BeforeAll
    void setUp() throws Exception {
        assertNull(System.getProperty("aws.accessKeyId"), "no credentials from the AWS chain in this test");
        sshd = SshServer.start(tmp.resolve("sshd"));
        s3 = S3Server.start(tmp.resolve("s3"));
        try (S3Client client = s3.client()) {
            client.createBucket(r -> r.bucket("vault"));
        }
    }

    @AfterAll
    void tearDown() throws Exception {
        if (demo != null) {
            Rig.removeByLabel(demo.name());
        }
        s3.close();
        sshd.close();
    }

    @Test
    void passphrasesS3CredentialsAndKeysComeFromTheStoreAndNeverRestInPlainText() throws Exception {
        Path protectedKey = tmp.resolve("protected");
        SshServer.run("ssh-keygen", "-q", "-t", "ed25519", "-N", PASSPHRASE, "-f", protectedKey.toString());
        Files.writeString(tmp.resolve("sshd/authorized_keys"), Files.readString(Path.of(protectedKey + ".pub")),
                java.nio.file.StandardOpenOption.APPEND);
        Path passphraseFile = write("passphrase", PASSPHRASE);
        Path masterFile = write("master", MASTER);
        Path s3SecretFile = write("s3-secret", S3Server.SECRET_KEY);
        Path home = tmp.resolve("home");
        String ssh = "root@127.0.0.1:" + sshd.port();

        // the master password is needed as soon as a secret is, and a wrong one is refused
        Rig.Result locked = Rig.lifeboat(home, "host", "add", "remote", "--ssh", ssh, "--identity", protectedKey.toString(),
                "--passphrase-file", passphraseFile.toString(), "--accept-host-key", sshd.fingerprint());
        assertEquals(1, locked.code());
        assertTrue(locked.err().contains("--master-password-file"), locked.err());

        Rig.alwaysWith(home, "--master-password-file", masterFile.toString());
        Rig.lifeboat(home, "host", "add", "remote", "--ssh", ssh, "--identity", protectedKey.toString(),
                "--passphrase-file", passphraseFile.toString(), "--accept-host-key", sshd.fingerprint()).ok();
        assertTrue(Rig.lifeboat(home, "secret", "list").ok().out().contains("ssh-key:" + protectedKey));

        Rig.alwaysWith(home, "--master-password-file", write("wrong", "nope").toString());
        Rig.Result wrong = Rig.lifeboat(home, "stacks", "remote");
        Rig.alwaysWith(home, "--master-password-file", masterFile.toString());
        assertEquals(1, wrong.code());
        assertTrue(wrong.err().contains("Wrong master password"), wrong.err());

        String generated = Rig.lifeboat(home, "key", "generate", "--secret", "key:offsite").ok().out();
        assertTrue(generated.contains("--key secret:key:offsite"), generated);
        Rig.lifeboat(home, "dest", "add", "offsite", "--s3", "s3://vault/lifeboat", "--endpoint", s3.endpoint(),
                "--path-style", "--key", "secret:key:offsite", "--access-key-id", S3Server.ACCESS_KEY,
                "--secret-key-file", s3SecretFile.toString()).ok();

        demo = Rig.demoOn(tmp, home, "remote", Rig.uniqueName("sec"));
        String json = demo.run("backup", demo.stack(), "--to", "offsite", "--json").ok().out();
        String pointId = ManifestCodec.mapper().readTree(json).get("pointId").asText();
        demo.run("verify", pointId).ok();

        // the passphrase is what opens the key: without it the host is unusable, with a clear way out
        demo.run("secret", "remove", "ssh-key:" + protectedKey.toAbsolutePath()).ok();
        Rig.Result noPassphrase = demo.run("stacks", "remote");
        assertEquals(1, noPassphrase.code());
        assertTrue(noPassphrase.err().contains("passphrase-protected") && noPassphrase.err().contains("lifeboat secret set"),
                noPassphrase.err());
        demo.run("secret", "set", "ssh-key:" + protectedKey.toAbsolutePath(), "--from-file", passphraseFile.toString()).ok();
        demo.run("stacks", "remote").ok();

        // the master password can be changed; the old one stops working
        demo.run("secret", "change-password", "--new-password-file", write("master2", "second-master-9d").toString()).ok();
        Rig.alwaysWith(home, "--master-password-file", tmp.resolve("master2").toString());
        demo.run("verify", pointId).ok();

        String keyText = null;
        List<String> leaks = new ArrayList<>();
        for (Path root : List.of(home, tmp.resolve("s3/data"), tmp.resolve("backups"))) {
            if (!Files.exists(root)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(root)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                    for (String secret : List.of(PASSPHRASE, MASTER, "second-master-9d", S3Server.SECRET_KEY, "lifeboat-key-v1:")) {
                        if (text.contains(secret)) {
                            leaks.add(f + " contains " + secret.substring(0, 8) + "…");
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), leaks, "no secret rests in plain text under the home, the destination or the bucket");
        assertTrue(Files.exists(home.resolve("secrets.vault")));
        assertFalse(Files.readString(home.resolve("secrets.vault")).contains(S3Server.ACCESS_KEY + ":"));
    }

    private Path write(String name, String value) throws Exception {
        Path f = tmp.resolve(name);
        Files.writeString(f, value + "\n");
        return f;
    }
}
