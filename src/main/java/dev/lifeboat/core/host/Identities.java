package dev.lifeboat.core.host;

import net.schmizz.sshj.userauth.keyprovider.KeyProvider;
import net.schmizz.sshj.userauth.password.PasswordFinder;
import net.schmizz.sshj.userauth.password.PrivateKeyFileResource;
import net.schmizz.sshj.userauth.password.Resource;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * SSH private keys protected by a passphrase, kept open for the life of the process. Opening one runs
 * OpenSSH's bcrypt KDF (about half a second of CPU), and the console, the agent and a process running
 * many commands connect again and again with the same key. A kept key is used again only for the same
 * file content (SHA-256 of the bytes, read before and after opening) and the same passphrase (kept only
 * as an HMAC under a key drawn at random for this process). Keys without a passphrase are not kept:
 * reading them costs nothing. At most 8, least recently used first.
 */
final class Identities {
    static final Identities PROCESS = new Identities(8);

    private record Kept(byte[] passphraseMac, KeyProvider keys) {
    }

    private final dev.lifeboat.core.secrets.ProcessMac mac = new dev.lifeboat.core.secrets.ProcessMac();
    private final Map<String, Kept> kept;

    Identities(int capacity) {
        kept = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Kept> eldest) {
                return size() > capacity;
            }
        };
    }

    /** An opening of this key file as it is now; reads the file (an unreadable file fails here). */
    Opening opening(String identityFile, PasswordFinder finder) throws IOException {
        return new Opening(identityFile, digest(identityFile), finder);
    }

    /** One opening: {@link #kept()} first, else load through {@link #finder()} and {@link #keep} what opened. */
    final class Opening {
        private final String file;
        private final String digest;
        private final PasswordFinder passphrases;
        private byte[] askedMac;

        private Opening(String file, String digest, PasswordFinder passphrases) {
            this.file = file;
            this.digest = digest;
            this.passphrases = passphrases;
        }

        /** The key opened earlier from these bytes with the passphrase the finder gives now, or null. */
        KeyProvider kept() {
            Kept k;
            synchronized (kept) {
                k = kept.get(digest);
            }
            if (k == null) {
                return null;
            }
            char[] passphrase = passphrases.reqPassword(new PrivateKeyFileResource(new File(file)));
            byte[] asked = mac.of(passphrase);
            if (passphrase != null) {
                Arrays.fill(passphrase, '\0');
            }
            return MessageDigest.isEqual(asked, k.passphraseMac()) ? k.keys() : null;
        }

        /** The finder to load the key with: the same answers, and what it answered is remembered as an HMAC. */
        PasswordFinder finder() {
            return new PasswordFinder() {
                @Override
                public char[] reqPassword(Resource<?> resource) {
                    char[] passphrase = passphrases.reqPassword(resource);
                    askedMac = mac.of(passphrase);
                    return passphrase;
                }

                @Override
                public boolean shouldRetry(Resource<?> resource) {
                    return passphrases.shouldRetry(resource);
                }
            };
        }

        /** Keeps a key that opened (its private part read) with a passphrase, if the file did not change meanwhile. */
        void keep(KeyProvider keys) throws IOException {
            if (askedMac != null && digest.equals(digest(file))) {
                synchronized (kept) {
                    kept.put(digest, new Kept(askedMac, keys));
                }
            }
        }
    }

    private static String digest(String file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(Path.of(file))));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }
}
