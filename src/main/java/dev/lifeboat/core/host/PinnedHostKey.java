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
    private volatile String seen;

    /** {@code pinned}: stored for the host (null on first contact); {@code accepted}: typed by the admin (may be null). */
    PinnedHostKey(String pinned, String accepted) {
        this.pinned = pinned;
        this.accepted = accepted;
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
        return pinned != null ? pinned.equals(seen) : seen.equals(accepted);
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
}
