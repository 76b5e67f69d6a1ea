package dev.lifeboat.core.host;

import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.common.SSHPacket;
import net.schmizz.sshj.connection.Connection;
import net.schmizz.sshj.connection.channel.direct.AbstractDirectChannel;

import java.io.IOException;

/**
 * An SSH channel to a unix socket on the server: OpenSSH's {@code direct-streamlocal@openssh.com}
 * (what {@code ssh -L local.sock:/var/run/docker.sock} uses). The server connects to the socket with
 * the login user's rights; no command runs there, so a host without the Docker CLI is still reached.
 * Closing the channel's output stream sends EOF, which OpenSSH passes on as a half-close of the socket.
 */
final class StreamLocalChannel extends AbstractDirectChannel {
    private final String socketPath;

    private StreamLocalChannel(Connection conn, String socketPath) {
        super(conn, "direct-streamlocal@openssh.com");
        this.socketPath = socketPath;
    }

    /** Opens a channel to {@code socketPath} on the server; fails as the server refuses it (prohibited, no socket, no access). */
    static StreamLocalChannel open(SSHClient ssh, String socketPath) throws IOException {
        StreamLocalChannel channel = new StreamLocalChannel(ssh.getConnection(), socketPath);
        channel.open();
        return channel;
    }

    @Override
    protected SSHPacket buildOpenReq() {
        // socket path, then a reserved string and a reserved uint32 (OpenSSH PROTOCOL, section 2.4)
        return super.buildOpenReq().putString(socketPath).putString("").putUInt32(0);
    }
}
