package dev.lifeboat.core.host;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** What the host's docker CLI says about its socket decides whether connections can be forwarded. */
class SshTunnelTest {
    @Test
    void theCliSocketIsAPlainUnixPathOrNothing() {
        assertEquals("/var/run/docker.sock", SshTunnel.cliSocket("27.5.1\nunix:///var/run/docker.sock\n"));
        assertEquals("/run/user/1000/docker.sock", SshTunnel.cliSocket("27.5.1\nunix:///run/user/1000/docker.sock"));
        assertNull(SshTunnel.cliSocket("20.10.24\n"), "an old CLI without contexts: dial-stdio");
        assertNull(SshTunnel.cliSocket("27.5.1\ntcp://10.0.0.5:2376"), "not a unix socket: dial-stdio");
        assertNull(SshTunnel.cliSocket("27.5.1\nunix:///tmp/a b;rm -rf /"), "a path a shell would read: never used");
        assertNull(SshTunnel.cliSocket("27.5.1\nunix:///var/run/../../etc/shadow"), "no way up");
    }
}
