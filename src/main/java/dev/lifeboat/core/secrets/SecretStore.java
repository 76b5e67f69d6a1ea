package dev.lifeboat.core.secrets;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifeboat.core.LifeboatException;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The secret store: one file ({@code secrets.vault} in Lifeboat's home, mode 600) whose values are
 * encrypted with AES-256-GCM under a key derived from the master password (PBKDF2-HMAC-SHA256,
 * 600,000 iterations, random salt). Each value is bound to its name (the AAD), so values cannot be
 * swapped between names; names are not secret and can be listed without unlocking. The store is
 * unlocked on first use of a value, so commands that need none never ask for the password; a key derived
 * once is found again by later openings in the same process ({@link DerivedKeys}). See ADR 9.
 */
public final class SecretStore implements Secrets {
    public static final String FILE = "secrets.vault";
    static final int ITERATIONS = 600_000;
    private static final byte[] CHECK = "lifeboat secret store".getBytes(StandardCharsets.US_ASCII);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;
    private final MasterPassword password;
    private byte[] key;
    private byte[] unlockedSalt;

    public SecretStore(Path home, MasterPassword password) {
        this.file = home.resolve(FILE);
        this.password = password;
    }

    public Path file() {
        return file;
    }

    public boolean exists() {
        return Files.exists(file);
    }

    /** Secret names, sorted. Needs no password. */
    public synchronized List<String> names() {
        Vault v = read();
        return v == null ? List.of() : new ArrayList<>(v.entries.keySet());
    }

    @Override
    public synchronized Optional<String> find(String name) {
        Vault v = read();
        if (v == null || !v.entries.containsKey(name)) {
            return Optional.empty();
        }
        unlock(v);
        byte[] plain = decrypt(key, Base64.getDecoder().decode(v.entries.get(name)), aad(name));
        if (plain == null) {
            throw new LifeboatException("Secret '" + name + "' in " + file + " is damaged (it does not authenticate)");
        }
        return Optional.of(new String(plain, StandardCharsets.UTF_8));
    }

    /** Stores (or replaces) a secret, creating the store, and asking for a new master password, if needed. */
    public synchronized void put(String name, String value) {
        checkName(name);
        update(v -> v.entries.put(name, Base64.getEncoder().encodeToString(
                encrypt(key, value.getBytes(StandardCharsets.UTF_8), aad(name)))));
    }

    /** Removes a secret; false when there was none by that name. */
    public synchronized boolean remove(String name) {
        Vault current = read();
        if (current == null || !current.entries.containsKey(name)) {
            return false;
        }
        update(v -> v.entries.remove(name));
        return true;
    }

    /** Re-encrypts every secret under a new master password. */
    public synchronized void changePassword(char[] newPassword) {
        update(v -> {
            byte[] salt = random(32);
            byte[] newKey = DerivedKeys.PROCESS.derive(newPassword, salt, v.iterations);
            TreeMap<String, String> reencrypted = new TreeMap<>();
            for (var e : v.entries.entrySet()) {
                byte[] plain = decrypt(key, Base64.getDecoder().decode(e.getValue()), aad(e.getKey()));
                if (plain == null) {
                    throw new LifeboatException("Secret '" + e.getKey() + "' is damaged; the password was not changed");
                }
                reencrypted.put(e.getKey(), Base64.getEncoder().encodeToString(encrypt(newKey, plain, aad(e.getKey()))));
                Arrays.fill(plain, (byte) 0);
            }
            v.salt = salt;
            v.check = encrypt(newKey, CHECK, aad(""));
            v.entries = reencrypted;
            key = newKey;
            unlockedSalt = salt;
        });
    }

    private interface Change {
        void apply(Vault v);
    }

    private void update(Change change) {
        try {
            Files.createDirectories(file.getParent());
            Path lockFile = file.resolveSibling(FILE + ".lock");
            try (FileChannel lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = lockChannel.lock()) {
                Vault v = read();
                if (v == null) {
                    v = new Vault();
                    v.iterations = ITERATIONS;
                    v.salt = random(32);
                    char[] pw = password.obtain(true);
                    try {
                        key = DerivedKeys.PROCESS.derive(pw, v.salt, v.iterations);
                    } finally {
                        Arrays.fill(pw, '\0');
                    }
                    unlockedSalt = v.salt;
                    v.check = encrypt(key, CHECK, aad(""));
                } else {
                    unlock(v);
                }
                change.apply(v);
                write(v);
            }
        } catch (IOException e) {
            throw new LifeboatException("Cannot write the secret store " + file + ": " + e.getMessage(), e);
        }
    }

    private void unlock(Vault v) {
        if (key != null && Arrays.equals(unlockedSalt, v.salt)) {
            return;
        }
        char[] pw = password.obtain(false);
        byte[] candidate;
        try {
            candidate = DerivedKeys.PROCESS.derive(pw, v.salt, v.iterations);
        } finally {
            Arrays.fill(pw, '\0');
        }
        byte[] check = decrypt(candidate, v.check, aad(""));
        if (check == null || !Arrays.equals(check, CHECK)) {
            throw new LifeboatException("Wrong master password for the secret store " + file);
        }
        key = candidate;
        unlockedSalt = v.salt;
    }

    private static final class Vault {
        int iterations;
        byte[] salt;
        byte[] check;
        TreeMap<String, String> entries = new TreeMap<>();
    }

    private Vault read() {
        if (!Files.exists(file)) {
            return null;
        }
        try {
            var node = JSON.readTree(file.toFile());
            if (node.path("format").asInt() != 1 || !"PBKDF2WithHmacSHA256".equals(node.path("kdf").asText())) {
                throw new LifeboatException("Secret store " + file + " has a format this version does not know");
            }
            Vault v = new Vault();
            v.iterations = node.path("iterations").asInt();
            v.salt = Base64.getDecoder().decode(node.path("salt").asText());
            v.check = Base64.getDecoder().decode(node.path("check").asText());
            for (Iterator<String> it = node.path("entries").fieldNames(); it.hasNext(); ) {
                String name = it.next();
                v.entries.put(name, node.path("entries").path(name).asText());
            }
            if (v.iterations < 100_000 || v.salt.length < 16) {
                throw new LifeboatException("Secret store " + file + " is damaged (weak or missing key derivation settings)");
            }
            return v;
        } catch (IOException | IllegalArgumentException e) {
            throw new LifeboatException("Secret store " + file + " is damaged: " + e.getMessage(), e);
        }
    }

    private void write(Vault v) throws IOException {
        ObjectNode node = JSON.createObjectNode();
        node.put("format", 1);
        node.put("kdf", "PBKDF2WithHmacSHA256");
        node.put("iterations", v.iterations);
        node.put("salt", Base64.getEncoder().encodeToString(v.salt));
        node.put("cipher", "AES-256-GCM");
        node.put("check", Base64.getEncoder().encodeToString(v.check));
        ObjectNode entries = node.putObject("entries");
        v.entries.forEach(entries::put);
        Path tmp = file.resolveSibling(FILE + ".new");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(node)));
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        }
    }

    private static void checkName(String name) {
        if (name == null || name.isBlank() || name.length() > 512 || name.chars().anyMatch(Character::isISOControl)) {
            throw new LifeboatException("A secret name must be 1 to 512 printable characters");
        }
    }

    private static byte[] aad(String name) {
        return ("lifeboat-secret-v1/" + name).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] derive(char[] password, byte[] salt, int iterations) {
        try {
            PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, 256);
            try {
                return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
            } finally {
                spec.clearPassword();
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is unavailable", e);
        }
    }

    private static byte[] encrypt(byte[] key, byte[] plain, byte[] aad) {
        try {
            byte[] nonce = random(12);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
            c.updateAAD(aad);
            byte[] ct = c.doFinal(plain);
            byte[] out = Arrays.copyOf(nonce, 12 + ct.length);
            System.arraycopy(ct, 0, out, 12, ct.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }

    /** The plaintext, or null when the data does not authenticate under this key and name. */
    private static byte[] decrypt(byte[] key, byte[] data, byte[] aad) {
        if (data.length < 12 + 16) {
            return null;
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, data, 0, 12));
            c.updateAAD(aad);
            return c.doFinal(data, 12, data.length - 12);
        } catch (AEADBadTagException e) {
            return null;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }
}
