package dev.lifeboat.core.host;

import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.transport.verification.HostKeyVerifier;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Base64;
import java.util.List;

/**
 * Strict host-key checking: the server's key must match the pinned fingerprint, or, on first contact,
 * the fingerprint the admin accepted explicitly. There is no way to accept any key.
 */
final class PinnedHostKey implements HostKeyVerifier {
    private final String pinned;
    private final String accepted;
    private final HostKeyVerifier knownHosts;
    private volatile String seen;
    private volatile boolean rejected;

    /**
     * {@code pinned}: stored for the host (null on first contact); {@code accepted}: typed by the admin;
     * {@code knownHosts}: an OpenSSH known_hosts file the admin trusts. Only one of them decides, in that order.
     */
    PinnedHostKey(String pinned, String accepted, HostKeyVerifier knownHosts) {
        this.pinned = pinned;
        this.accepted = accepted;
        this.knownHosts = knownHosts;
    }

    /** The OpenSSH-style fingerprint, {@code SHA256:<base64 without padding>}. */
    static String fingerprint(PublicKey key) {
        byte[] blob = new Buffer.PlainBuffer().putPublicKey(key).getCompactData();
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean verify(String hostname, int port, PublicKey key) {
        seen = fingerprint(key);
        boolean ok;
        if (pinned != null) {
            ok = pinned.equals(seen);
        } else if (accepted != null) {
            ok = seen.equals(accepted);
        } else {
            ok = knownHosts != null && knownHosts.verify(hostname, port, key);
        }
        rejected = !ok;
        return ok;
    }

    @Override
    public List<String> findExistingAlgorithms(String hostname, int port) {
        return List.of();
    }

    String seen() {
        return seen;
    }

    String pinned() {
        return pinned;
    }

    String accepted() {
        return accepted;
    }

    /** True when the server's key was seen and refused. */
    boolean rejected() {
        return rejected;
    }

    boolean usedKnownHosts() {
        return pinned == null && accepted == null && knownHosts != null;
    }
}
