package dev.lifeboat.core.host;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.List;

/**
 * Files on a host outside Docker (a stack's compose file, .env and certificates): on this machine
 * through java.nio, on an SSH host through SFTP.
 */
public interface HostFiles extends AutoCloseable {
    enum Type { DIRECTORY, FILE, SYMLINK }

    /** One entry of a tree; {@code path} is relative to the walked directory ("" for the directory itself). */
    record Entry(String path, Type type, int mode, long uid, long gid, long size, Instant modified, String linkTarget) {
    }

    boolean isDirectory(String dir) throws IOException;

    /** The tree under {@code dir}, parents before children, skipping {@code .git} folders and special files. */
    List<Entry> walk(String dir) throws IOException;

    InputStream read(String path) throws IOException;

    void makeDirectories(String dir) throws IOException;

    /** Deletes a directory and everything under it (links are removed, never followed); absent is fine. */
    void deleteTree(String dir) throws IOException;

    /** Creates or truncates a regular file (removing a symlink or file of that name first). */
    OutputStream write(String path) throws IOException;

    void symlink(String path, String target) throws IOException;

    /** Sets mode, owner and modification time; returns false when the owner could not be set (not root). */
    boolean setAttributes(String path, int mode, long uid, long gid, Instant modified, boolean isLink) throws IOException;

    /** Whether anything (a link included, never followed) exists at {@code path}. */
    boolean exists(String path) throws IOException;

    /** Creates one directory, mode 0700 from the start; fails when anything exists there already. */
    void makePrivateDirectory(String dir) throws IOException;

    /** Renames {@code from} (a link is renamed, never followed) to {@code to}, which must not exist. */
    void rename(String from, String to) throws IOException;

    /**
     * A directory private to Lifeboat on this host (0700, created when missing): {@code lifeboatHome/NAME}
     * on this machine, {@code ~/.lifeboat/NAME} of the SSH user on an SSH host.
     */
    String privateDirectory(java.nio.file.Path lifeboatHome, String name) throws IOException;

    @Override
    void close() throws IOException;

    /** The files of this machine. */
    static HostFiles local() {
        return new LocalFiles();
    }

    /** The files of an SSH host, over an SFTP session (closed with the returned object). */
    static HostFiles sftp(net.schmizz.sshj.sftp.SFTPClient sftp) {
        return new SftpFiles(sftp);
    }

    /** The files of the host a gateway talks to. */
    static HostFiles of(DockerEngine docker) throws IOException {
        if (docker.tunnel() == null) {
            return new LocalFiles();
        }
        try {
            return new SftpFiles(docker.tunnel().client().newSFTPClient());
        } catch (IOException e) {
            throw new dev.lifeboat.core.HostException(noSftp("Host " + docker.host().name(), e));
        }
    }

    /** The message for an SSH server that would not start the SFTP subsystem (usually: none configured). */
    static String noSftp(String who, IOException e) {
        return who + ": the SSH server offers no SFTP subsystem (" + e.getMessage() + "), which Lifeboat needs for the"
                + " stack's config files and for SFTP destinations. Add 'Subsystem sftp internal-sftp' (or the path of"
                + " sftp-server) to its sshd_config and reload sshd";
    }

    static String child(String dir, String rel) {
        return rel.isEmpty() ? dir : (dir.endsWith("/") ? dir + rel : dir + "/" + rel);
    }
}
