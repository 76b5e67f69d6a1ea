package dev.lifeboat.core.host;

import net.schmizz.sshj.sftp.FileAttributes;
import net.schmizz.sshj.sftp.FileMode;
import net.schmizz.sshj.sftp.OpenMode;
import net.schmizz.sshj.sftp.RemoteFile;
import net.schmizz.sshj.sftp.RemoteResourceInfo;
import net.schmizz.sshj.sftp.SFTPClient;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;

/** {@link HostFiles} on an SSH host, through SFTP on the host's SSH connection. */
public final class SftpFiles implements HostFiles {
    private final SFTPClient sftp;

    SftpFiles(SFTPClient sftp) {
        this.sftp = sftp;
    }

    @Override
    public boolean isDirectory(String dir) throws IOException {
        FileAttributes a = sftp.statExistence(dir);
        return a != null && a.getType() == FileMode.Type.DIRECTORY;
    }

    @Override
    public List<Entry> walk(String dir) throws IOException {
        List<Entry> out = new ArrayList<>();
        out.add(entry("", sftp.lstat(dir), null));
        walk(dir, "", out);
        return out;
    }

    private void walk(String root, String rel, List<Entry> out) throws IOException {
        List<RemoteResourceInfo> children = new ArrayList<>(sftp.ls(HostFiles.child(root, rel)));
        children.sort(Comparator.comparing(RemoteResourceInfo::getName));
        for (RemoteResourceInfo c : children) {
            String childRel = rel.isEmpty() ? c.getName() : rel + "/" + c.getName();
            FileAttributes a = c.getAttributes();
            switch (a.getType()) {
                case DIRECTORY -> {
                    if (!c.getName().equals(".git")) {
                        out.add(entry(childRel, a, null));
                        walk(root, childRel, out);
                    }
                }
                case REGULAR -> out.add(entry(childRel, a, null));
                case SYMLINK -> out.add(entry(childRel, a, sftp.readlink(HostFiles.child(root, childRel))));
                default -> {
                    // sockets, fifos and devices are not configuration
                }
            }
        }
    }

    private static Entry entry(String rel, FileAttributes a, String link) {
        Type type = a.getType() == FileMode.Type.DIRECTORY ? Type.DIRECTORY
                : a.getType() == FileMode.Type.SYMLINK ? Type.SYMLINK : Type.FILE;
        return new Entry(rel, type, a.getMode().getPermissionsMask() & 0777, a.getUID(), a.getGID(), a.getSize(),
                Instant.ofEpochSecond(a.getMtime()), link);
    }

    @Override
    public InputStream read(String path) throws IOException {
        return openRead(sftp, path);
    }

    /** A pipelined read stream of a remote file that closes the file with it ({@link SftpReadAhead}). */
    public static InputStream openRead(SFTPClient sftp, String path) throws IOException {
        return SftpReadAhead.open(sftp, path);
    }

    @Override
    public void makeDirectories(String dir) throws IOException {
        sftp.mkdirs(dir);
    }

    /** The attributes of {@code path} itself (a link is not followed), or null when nothing is there. */
    private FileAttributes lstatExistence(String path) throws IOException {
        try {
            return sftp.lstat(path);
        } catch (net.schmizz.sshj.sftp.SFTPException e) {
            if (e.getStatusCode() == net.schmizz.sshj.sftp.Response.StatusCode.NO_SUCH_FILE) {
                return null;
            }
            throw e;
        }
    }

    @Override
    public boolean exists(String path) throws IOException {
        return lstatExistence(path) != null;
    }

    @Override
    public void makePrivateDirectory(String dir) throws IOException {
        sftp.getSFTPEngine().makeDir(dir, new FileAttributes.Builder().withPermissions(0700).build());
    }

    @Override
    public void rename(String from, String to) throws IOException {
        if (lstatExistence(to) != null) {
            throw new IOException(to + " exists already");
        }
        sftp.rename(from, to);
    }

    @Override
    public String privateDirectory(java.nio.file.Path lifeboatHome, String name) throws IOException {
        String home = sftp.canonicalize(".");
        String base = HostFiles.child(home, ".lifeboat");
        String dir = HostFiles.child(base, name);
        sftp.mkdirs(dir);
        sftp.chmod(base, 0700);
        sftp.chmod(dir, 0700);
        return dir;
    }

    @Override
    public void deleteTree(String dir) throws IOException {
        FileAttributes attrs = lstatExistence(dir);
        if (attrs == null) {
            return;
        }
        if (attrs.getType() != FileMode.Type.DIRECTORY) {
            sftp.rm(dir);
            return;
        }
        for (var child : sftp.ls(dir)) {
            if (child.getName().equals(".") || child.getName().equals("..")) {
                continue;
            }
            if (child.getAttributes().getType() == FileMode.Type.DIRECTORY) {
                deleteTree(child.getPath());
            } else {
                sftp.rm(child.getPath());
            }
        }
        sftp.rmdir(dir);
    }

    @Override
    public OutputStream write(String path) throws IOException {
        FileAttributes existing = lstatExistence(path);
        if (existing != null && existing.getType() != FileMode.Type.DIRECTORY) {
            sftp.rm(path); // a link is removed, never written through
        }
        // EXCL: should anything appear at the path meanwhile, the open fails instead of following it
        return openWrite(sftp, path, EnumSet.of(OpenMode.WRITE, OpenMode.CREAT, OpenMode.EXCL));
    }

    /** A pipelined write stream to a remote file that closes the file with it. */
    public static OutputStream openWrite(SFTPClient sftp, String path, java.util.Set<OpenMode> modes) throws IOException {
        RemoteFile f = sftp.open(path, modes);
        return new FilterOutputStream(f.new RemoteFileOutputStream(0, 16)) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                SftpDurable.writeInRequests(out, b, off, len);
            }

            @Override
            public void close() throws IOException {
                try {
                    super.close();
                } finally {
                    f.close();
                }
            }
        };
    }

    @Override
    public void symlink(String path, String target) throws IOException {
        if (lstatExistence(path) != null) {
            sftp.rm(path);
        }
        // OpenSSH's sftp-server takes the arguments of SSH_FXP_SYMLINK in reverse order
        sftp.symlink(target, path);
    }

    @Override
    public boolean setAttributes(String path, int mode, long uid, long gid, Instant modified, boolean isLink)
            throws IOException {
        if (isLink) {
            return true; // SFTP follows links for setattr; a link's own mode and owner do not matter
        }
        sftp.setattr(path, new FileAttributes.Builder().withPermissions(mode)
                .withAtimeMtime(modified.getEpochSecond(), modified.getEpochSecond()).build());
        try {
            sftp.setattr(path, new FileAttributes.Builder().withUIDGID((int) uid, (int) gid).build());
            return true;
        } catch (IOException notPermitted) {
            return false;
        }
    }

    @Override
    public void close() throws IOException {
        sftp.close();
    }
}
