package dev.lifeboat.core.storage;

import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.host.SftpDurable;
import dev.lifeboat.core.host.SftpFiles;
import dev.lifeboat.core.host.SshTunnel;
import dev.lifeboat.core.model.Host;
import dev.lifeboat.core.secrets.Secrets;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.sftp.FileAttributes;
import net.schmizz.sshj.sftp.FileMode;
import net.schmizz.sshj.sftp.OpenMode;
import net.schmizz.sshj.sftp.RemoteResourceInfo;
import net.schmizz.sshj.sftp.Response;
import net.schmizz.sshj.sftp.SFTPClient;
import net.schmizz.sshj.sftp.SFTPException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

/**
 * A {@link FileTree} on a server reached by SFTP, its host key pinned like an SSH host's. Files are
 * fsynced on the server ({@code fsync@openssh.com}) and replaced with {@code posix-rename@openssh.com}
 * where offered (ADR 16). Each concurrent writer gets an SFTP channel of its own on the one SSH
 * connection: one session shared by pipelined writers broke under load. The server offers no way to
 * sync a directory, so {@link #sync} relies on the server's file system ordering its metadata.
 *
 * <p>Location syntax: {@code sftp://user@host:port/path?identity=/path/to/key&hostKey=SHA256:...}.
 */
public final class SftpTree implements FileTree {
    private final String location;
    private final String root;
    private final SSHClient ssh;
    private final SFTPClient sftp;

    public SftpTree(String name, String location, String acceptHostKey, Secrets secrets) {
        this.location = location;
        URI uri = URI.create(location);
        Map<String, String> q = Locations.query(uri.getRawQuery());
        this.root = uri.getPath().replaceAll("/+$", "");
        if (root.isEmpty()) {
            throw new LifeboatException("Destination " + name + ": an SFTP destination needs an absolute path");
        }
        String endpoint = "ssh://" + (uri.getUserInfo() == null ? "" : uri.getUserInfo() + "@") + uri.getHost()
                + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
        this.ssh = SshTunnel.client(new Host(name, endpoint, false, q.get("identity"), q.get("hostKey")), acceptHostKey, secrets);
        try {
            this.sftp = ssh.newSFTPClient();
        } catch (IOException e) {
            SshTunnel.closeQuietly(ssh);
            throw new LifeboatException(SftpDurable.noSftp("Destination " + name, e), e);
        }
    }

    /** The location with the accepted host key pinned into it. */
    public static String pin(String location, String hostKey) {
        return location + (location.contains("?") ? "&" : "?") + "hostKey="
                + java.net.URLEncoder.encode(hostKey, StandardCharsets.UTF_8);
    }

    @Override
    public String root() {
        return root;
    }

    @Override
    public String describe() {
        return location.contains("?") ? location.substring(0, location.indexOf('?')) : location;
    }

    @Override
    public void close() {
        try {
            sftp.close();
        } catch (IOException ignored) {
            // the SSH connection below is closed anyway
        }
        SshTunnel.closeQuietly(ssh);
    }

    @Override
    public Kind kind(String path) throws IOException {
        try {
            return kind(sftp.lstat(path));
        } catch (SFTPException e) {
            if (e.getStatusCode() == Response.StatusCode.NO_SUCH_FILE) {
                return Kind.MISSING;
            }
            throw e;
        }
    }

    private static Kind kind(FileAttributes a) {
        return switch (a.getType()) {
            case DIRECTORY -> Kind.DIRECTORY;
            case REGULAR -> Kind.FILE;
            case SYMLINK -> Kind.LINK;
            default -> Kind.OTHER;
        };
    }

    @Override
    public List<Entry> list(String dir) throws IOException {
        List<Entry> out = new ArrayList<>();
        // OpenSSH's sftp-server reads a directory's entries with lstat: links come back as links
        for (RemoteResourceInfo r : sftp.ls(dir)) {
            out.add(new Entry(r.getName(), kind(r.getAttributes()), Instant.ofEpochSecond(r.getAttributes().getMtime())));
        }
        return out;
    }

    @Override
    public Instant modified(String path) throws IOException {
        return Instant.ofEpochSecond(sftp.lstat(path).getMtime());
    }

    @Override
    public void mkdirs(String dir) throws IOException {
        sftp.mkdirs(dir);
    }

    @Override
    public void mkdir(String dir) throws IOException {
        sftp.mkdir(dir);
    }

    @Override
    public OutputStream create(String file) throws IOException {
        return SftpDurable.create(sftp, file, EnumSet.of(OpenMode.WRITE, OpenMode.CREAT, OpenMode.EXCL), null);
    }

    @Override
    public OutputStream createConcurrent(String file) throws IOException {
        SFTPClient own = ssh.newSFTPClient();
        try {
            return SftpDurable.create(own, file, EnumSet.of(OpenMode.WRITE, OpenMode.CREAT, OpenMode.EXCL), own);
        } catch (IOException | RuntimeException e) {
            own.close();
            throw e;
        }
    }

    @Override
    public InputStream open(String file) throws IOException {
        if (kind(file) != Kind.FILE) {
            throw new IOException(file + " is not a plain file at the destination");
        }
        return SftpFiles.openRead(sftp, file);
    }

    @Override
    public void rename(String from, String to) throws IOException {
        sftp.rename(from, to); // SFTP's own rename never replaces: it fails if the target exists
    }

    @Override
    public void replace(String from, String to) throws IOException {
        SftpDurable.replace(sftp, from, to);
    }

    @Override
    public void delete(String path) throws IOException {
        switch (kind(path)) {
            case MISSING -> { }
            case DIRECTORY -> sftp.rmdir(path);
            default -> sftp.rm(path);
        }
    }

    @Override
    public void sync(String dir) {
        // SFTP has no request to sync a directory; files are fsynced, renames are the server file system's
    }
}
