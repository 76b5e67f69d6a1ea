package dev.lifeboat.core.secrets;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * An HMAC-SHA256 under a key drawn at random for this process and never stored: it tells whether a password
 * is the one seen before, for the life of the process, without keeping the password.
 */
public final class ProcessMac {
    private final byte[] key = new byte[32];

    public ProcessMac() {
        new SecureRandom().nextBytes(key);
    }

    /** The HMAC of {@code context} (salt, counts; may be empty) followed by the password's UTF-8 bytes. */
    public byte[] of(char[] password, byte[]... context) {
        ByteBuffer utf8 = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password == null ? new char[0] : password));
        byte[] bytes = new byte[utf8.remaining()];
        utf8.get(bytes);
        if (utf8.hasArray()) {
            Arrays.fill(utf8.array(), (byte) 0);
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            for (byte[] c : context) {
                mac.update(c);
            }
            return mac.doFinal(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }
}
