package dev.lifeboat.core.host;

import net.schmizz.sshj.transport.cipher.BaseCipher;
import net.schmizz.sshj.transport.cipher.Cipher;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SSH transfers run on the JDK's AES-GCM (AES-NI), not on BouncyCastle's pure-Java ChaCha20 or AES. */
class SshTransportTest {
    @Test
    void aesGcmIsOfferedFirstAndTheOthersStayOfferedAfterIt() {
        List<String> names = SshTransport.config().getCipherFactories().stream().map(f -> f.getName()).toList();
        assertEquals(List.of("aes128-gcm@openssh.com", "aes256-gcm@openssh.com"), names.subList(0, 2));
        assertTrue(names.contains("chacha20-poly1305@openssh.com"), "a server without AES-GCM still has a cipher: " + names);
        assertTrue(names.contains("aes128-ctr"), names.toString());
    }

    @Test
    void theFirstCipherRunsInTheJdksProvider() throws Exception {
        Cipher cipher = SshTransport.config().getCipherFactories().get(0).create();
        cipher.init(Cipher.Mode.Encrypt, new byte[cipher.getBlockSize()], new byte[cipher.getIVSize()]);
        java.lang.reflect.Field f = BaseCipher.class.getDeclaredField("cipher");
        f.setAccessible(true);
        javax.crypto.Cipher jce = (javax.crypto.Cipher) f.get(cipher);
        assertEquals("SunJCE", jce.getProvider().getName(), "BouncyCastle's AES is pure Java");
    }
}
