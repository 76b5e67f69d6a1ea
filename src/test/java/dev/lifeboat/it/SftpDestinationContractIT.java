package dev.lifeboat.it;

import dev.lifeboat.core.secrets.Secrets;
import dev.lifeboat.core.storage.Destination;
import dev.lifeboat.core.storage.DestinationContract;
import dev.lifeboat.core.storage.StagedDirectory;
import dev.lifeboat.core.storage.SftpTree;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** The destination contract over SFTP, on a real OpenSSH sshd on loopback (so its tree also lies on this disk). */
@org.junit.jupiter.api.Tag("integration")
class SftpDestinationContractIT extends DestinationContract {
    @TempDir
    static Path tmp;
    private static SshServer sshd;
    private static final AtomicInteger N = new AtomicInteger();
    private Path root;

    @BeforeAll
    static void server() throws Exception {
        sshd = SshServer.start(tmp.resolve("sshd"));
    }

    @AfterAll
    static void stop() throws Exception {
        sshd.close();
    }

    @Override
    protected Destination create() throws Exception {
        root = tmp.resolve("store-" + N.incrementAndGet());
        String location = SftpTree.pin("sftp://root@127.0.0.1:" + sshd.port() + root + "?identity="
                + URLEncoder.encode(sshd.clientKey().toString(), StandardCharsets.UTF_8), sshd.fingerprint());
        return StagedDirectory.sftp("contract", location, null, Secrets.NONE);
    }

    @Override
    protected Optional<Path> localRoot() {
        return Optional.of(root);
    }
}
