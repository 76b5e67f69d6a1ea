package dev.lifeboat.core.secrets;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The secret store's derived keys, kept for the life of the process: the console, the agent and a
 * process running many commands open the store again and again, and each opening cost 600,000
 * PBKDF2 iterations (about a third of a second of CPU). A key is found again only for the same salt,
 * iterations and password; the password itself is not kept, only its HMAC under a key drawn at random
 * for this process. Bounded: the least recently used entry goes first. See ADR 9.
 */
final class DerivedKeys {
    interface Kdf {
        byte[] derive(char[] password, byte[] salt, int iterations);
    }

    static final DerivedKeys PROCESS = new DerivedKeys(8, SecretStore::derive);

    private final ProcessMac mac = new ProcessMac();
    private final Kdf kdf;
    private final Map<String, byte[]> keys;

    DerivedKeys(int capacity, Kdf kdf) {
        this.kdf = kdf;
        this.keys = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The key for this password, salt and iterations: derived once, then found again (a copy each time). */
    byte[] derive(char[] password, byte[] salt, int iterations) {
        String id = id(password, salt, iterations);
        synchronized (keys) {
            byte[] known = keys.get(id);
            if (known != null) {
                return known.clone();
            }
        }
        byte[] key = kdf.derive(password, salt, iterations);
        synchronized (keys) {
            keys.put(id, key.clone());
        }
        return key;
    }

    private String id(char[] password, byte[] salt, int iterations) {
        return Base64.getEncoder().encodeToString(mac.of(password, salt, ByteBuffer.allocate(4).putInt(iterations).array()));
    }
}
