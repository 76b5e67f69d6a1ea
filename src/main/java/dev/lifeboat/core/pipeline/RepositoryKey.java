package dev.lifeboat.core.pipeline;

import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.secrets.Secrets;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The 256-bit repository key, read from a key file the user owns. Each artifact is encrypted under
 * its own subkey, derived with HKDF-SHA256 from this key and a random per-artifact salt.
 * {@link #toString()} never shows key material.
 */
public final class RepositoryKey {
    private static final String PREFIX = "lifeboat-key-v1:";
    private final byte[] key;
    private final String id;

    private RepositoryKey(byte[] key) {
        this.key = key;
        this.id = HexFormat.of().formatHex(hmac(key, "lifeboat key id".getBytes(StandardCharsets.US_ASCII)), 0, 8);
    }

    /** Writes a new random key to {@code file}, readable only by its owner. Refuses to overwrite. */
    public static RepositoryKey generate(Path file) {
        String text = generateText() + "\n";
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, text, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (FileAlreadyExistsException e) {
            throw new LifeboatException("Key file " + file + " already exists; refusing to overwrite a repository key");
        } catch (IOException e) {
            throw new LifeboatException("Cannot write key file " + file + ": " + e.getMessage(), e);
        }
        return parse(text.trim(), "Key file " + file);
    }

    public static RepositoryKey load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII).trim();
        } catch (NoSuchFileException e) {
            throw new LifeboatException("Key file " + file + " does not exist. Create one with 'lifeboat key generate "
                    + file + "' or point --key-file at the key you stored");
        } catch (IOException e) {
            throw new LifeboatException("Cannot read key file " + file + ": " + e.getMessage(), e);
        }
        return parse(text, "Key file " + file);
    }

    /**
     * The key a destination names: {@code secret:NAME} for a key kept in the secret store, otherwise the
     * path of a key file.
     */
    public static RepositoryKey resolve(String reference, Secrets secrets) {
        if (Secrets.isReference(reference)) {
            String name = Secrets.nameOf(reference);
            return parse(secrets.require(name, "a repository key").trim(), "Secret " + name);
        }
        return load(Path.of(reference));
    }

    /** A new random key, as the text that {@link #resolve} reads back (to store in the secret store). */
    public static String generateText() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return PREFIX + Base64.getEncoder().encodeToString(bytes);
    }

    public static RepositoryKey parse(String text, String source) {
        if (!text.startsWith(PREFIX)) {
            throw new LifeboatException(source + " is not a Lifeboat repository key");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new LifeboatException(source + " is damaged (not valid base64)");
        }
        if (bytes.length != 32) {
            throw new LifeboatException(source + " is damaged (expected a 256-bit key)");
        }
        return new RepositoryKey(bytes);
    }

    /** A public fingerprint of the key, safe to store and show: it identifies the key but reveals nothing of it. */
    public String id() {
        return id;
    }

    /** HMAC-SHA256 of {@code data} under a subkey reserved for manifests, in hex. */
    public String sign(byte[] data) {
        byte[] manifestKey = hmac(key, "lifeboat manifest key".getBytes(StandardCharsets.US_ASCII));
        return HexFormat.of().formatHex(hmac(manifestKey, data));
    }

    byte[] deriveArtifactKey(byte[] salt) {
        byte[] prk = hmac(salt, key);
        byte[] info = "lifeboat artifact v1".getBytes(StandardCharsets.US_ASCII);
        byte[] t = hmac(prk, concat(info, new byte[] {1}));
        return Arrays.copyOf(t, 32);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    @Override
    public String toString() {
        return "RepositoryKey[id=" + id + "]";
    }
}
