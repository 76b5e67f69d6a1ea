package dev.lifeboat.core.storage;

import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.host.SftpDurable;
import dev.lifeboat.core.host.SftpFiles;
import dev.lifeboat.core.host.SshTunnel;
import dev.lifeboat.core.model.Host;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.sftp.FileAttributes;
import net.schmizz.sshj.sftp.FileMode;
import net.schmizz.sshj.sftp.OpenMode;
import net.schmizz.sshj.sftp.RemoteResourceInfo;
import net.schmizz.sshj.sftp.SFTPClient;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import dev.lifeboat.core.secrets.Secrets;

/**
 * A destination on a server reached by SFTP, with the same layout and commit protocol as a local
 * directory: a point is staged in {@code .partial-<id>}, its manifest written last, and the directory
 * renamed into place. The server's host key is pinned like an SSH host's.
 *
 * <p>Location syntax: {@code sftp://user@host:port/path?identity=/path/to/key&hostKey=SHA256:...}.
 */
public final class SftpDirectory implements Destination {
    private final String name;
    private final String location;
    private final String root;
    private final SSHClient ssh;
    private final SFTPClient sftp;

    public SftpDirectory(String name, String location, String acceptHostKey, Secrets secrets) {
        this.name = name;
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
            throw new LifeboatException(dev.lifeboat.core.host.SftpDurable.noSftp("Destination " + name, e), e);
        }
    }

    /** The location with the accepted host key pinned into it. */
    public static String pin(String location, String hostKey) {
        return location + (location.contains("?") ? "&" : "?") + "hostKey="
                + java.net.URLEncoder.encode(hostKey, StandardCharsets.UTF_8);
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
    public String name() {
        return name;
    }

    @Override
    public String describe() {
        return location.contains("?") ? location.substring(0, location.indexOf('?')) : location;
    }

    private String path(String rel) {
        return root + "/" + rel;
    }

    @Override
    public Optional<byte[]> readRoot(String file) throws IOException {
        if (sftp.statExistence(path(file)) == null) {
            return Optional.empty();
        }
        try (InputStream in = read(path(file))) {
            return Optional.of(in.readAllBytes());
        }
    }

    @Override
    public void writeRoot(String file, byte[] data) throws IOException {
        sftp.mkdirs(root);
        String tmp = path("." + file + ".tmp");
        if (sftp.statExistence(tmp) != null) {
            sftp.rm(tmp); // a killed run's
        }
        try (OutputStream out = durable(sftp, tmp, null)) {
            out.write(data);
        }
        SftpDurable.replace(sftp, tmp, path(file)); // atomic where the server offers posix-rename: never a moment without it
    }

    private static OutputStream durable(SFTPClient on, String p, AutoCloseable channel) throws IOException {
        return SftpDurable.create(on, p, EnumSet.of(OpenMode.WRITE, OpenMode.CREAT, OpenMode.EXCL), channel);
    }

    private InputStream read(String p) throws IOException {
        return SftpFiles.openRead(sftp, p);
    }

    @Override
    public PointWriter begin(String host, String stack, String pointId) throws IOException {
        String parent = path(host + "/" + stack);
        sftp.mkdirs(parent);
        String staging = parent + "/.partial-" + pointId;
        sftp.mkdir(staging);
        return new Writer(host, stack, pointId, parent, staging);
    }

    @Override
    public List<StoredPoint> list(String host, String stack) throws IOException {
        List<StoredPoint> points = new ArrayList<>();
        if (sftp.statExistence(root) == null) {
            return points;
        }
        for (RemoteResourceInfo h : dirs(root)) {
            if (host != null && !h.getName().equals(host)) {
                continue;
            }
            for (RemoteResourceInfo s : dirs(h.getPath())) {
                if (stack != null && !s.getName().equals(stack)) {
                    continue;
                }
                for (RemoteResourceInfo p : dirs(s.getPath())) {
                    if (p.getName().startsWith(".")) {
                        continue;
                    }
                    FileAttributes manifest = sftp.statExistence(p.getPath() + "/" + LocalDirectory.MANIFEST);
                    if (manifest != null) {
                        points.add(new StoredPoint(h.getName(), s.getName(), p.getName(), p.getPath(),
                                Instant.ofEpochSecond(manifest.getMtime())));
                    }
                }
            }
        }
        points.sort(Comparator.comparing(StoredPoint::id));
        return points;
    }

    private List<RemoteResourceInfo> dirs(String dir) throws IOException {
        return sftp.ls(dir, (net.schmizz.sshj.sftp.RemoteResourceFilter) r -> r.getAttributes().getType() == FileMode.Type.DIRECTORY);
    }

    @Override
    public InputStream open(StoredPoint point, String file) throws IOException {
        return read(key(point, file));
    }

    @Override
    public byte[] read(StoredPoint point, String file) throws IOException {
        try (InputStream in = open(point, file)) {
            return in.readAllBytes();
        }
    }

    private String key(StoredPoint point, String file) {
        if (file.contains("/") || !point.location().startsWith(root + "/")) {
            throw new LifeboatException("Refusing to read " + file + " outside the recovery point " + point.id());
        }
        return point.location() + "/" + file;
    }

    @Override
    public void delete(StoredPoint point) throws IOException {
        String dir = point.location();
        String doomed = dir.substring(0, dir.lastIndexOf('/') + 1) + ".deleting-" + point.id();
        sftp.rename(dir, doomed);
        deleteTree(doomed);
    }

    @Override
    public List<Abandoned> sweepAbandoned(String host, String stack, Instant before, boolean dryRun) throws IOException {
        String parent = path(host + "/" + stack);
        List<Abandoned> found = new ArrayList<>();
        if (sftp.statExistence(parent) == null) {
            return found;
        }
        for (RemoteResourceInfo r : dirs(parent)) {
            if (!r.getName().startsWith(".partial-") && !r.getName().startsWith(".deleting-")) {
                continue;
            }
            Instant changed = newest(r);
            if (changed.isBefore(before)) {
                found.add(new Abandoned(r.getName(), changed));
                if (!dryRun) {
                    deleteTree(r.getPath());
                }
            }
        }
        return found;
    }

    /** The latest modification time in a remote tree. */
    private Instant newest(RemoteResourceInfo dir) throws IOException {
        Instant n = Instant.ofEpochSecond(dir.getAttributes().getMtime());
        for (RemoteResourceInfo r : sftp.ls(dir.getPath())) {
            Instant t = r.isDirectory() ? newest(r) : Instant.ofEpochSecond(r.getAttributes().getMtime());
            n = t.isAfter(n) ? t : n;
        }
        return n;
    }

    private void deleteTree(String dir) throws IOException {
        for (RemoteResourceInfo r : sftp.ls(dir)) {
            if (r.isDirectory()) {
                deleteTree(r.getPath());
            } else {
                sftp.rm(r.getPath());
            }
        }
        sftp.rmdir(dir);
    }

    private final class Writer implements PointWriter {
        private final String host;
        private final String stack;
        private final String pointId;
        private final String parent;
        private final String staging;
        private boolean committed;

        Writer(String host, String stack, String pointId, String parent, String staging) {
            this.host = host;
            this.stack = stack;
            this.pointId = pointId;
            this.parent = parent;
            this.staging = staging;
        }

        /**
         * Each artifact is written on an SFTP channel of its own (on the one SSH connection), closed with
         * it: the assets of a point are written in parallel, and one SFTP session shared by several
         * pipelined writers broke under load ("Stream closed", write timeouts). Each file is fsynced on
         * the server before it counts.
         */
        @Override
        public OutputStream create(String file) throws IOException {
            String p = staging + "/" + PointWriter.checkArtifactName(file);
            SFTPClient own = ssh.newSFTPClient();
            try {
                return durable(own, p, own);
            } catch (IOException | RuntimeException e) {
                own.close();
                throw e;
            }
        }

        @Override
        public StoredPoint commit(byte[] manifest, String signature) throws IOException {
            try (OutputStream out = durable(sftp, staging + "/" + LocalDirectory.SIGNATURE, null)) {
                out.write(signature.getBytes(StandardCharsets.US_ASCII));
            }
            try (OutputStream out = durable(sftp, staging + "/.manifest.tmp", null)) {
                out.write(manifest);
            }
            sftp.rename(staging + "/.manifest.tmp", staging + "/" + LocalDirectory.MANIFEST);
            String finalDir = parent + "/" + pointId;
            sftp.rename(staging, finalDir);
            committed = true;
            return new StoredPoint(host, stack, pointId, finalDir, Instant.now());
        }

        @Override
        public void close() throws IOException {
            if (!committed && sftp.statExistence(staging) != null) {
                deleteTree(staging);
            }
        }
    }

}
