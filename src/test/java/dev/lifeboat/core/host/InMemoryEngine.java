package dev.lifeboat.core.host;

import dev.lifeboat.core.HostException;
import dev.lifeboat.core.model.ContainerSpec;
import dev.lifeboat.core.model.Host;
import dev.lifeboat.core.model.MountSpec;
import dev.lifeboat.core.model.NetworkSpec;
import dev.lifeboat.core.model.VolumeSpec;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/**
 * A Docker engine in memory, for tests of what Lifeboat asks of an engine and in which order: containers
 * with their own files and named volumes mounted into them, images, networks, and archive streams in
 * and out as the Engine API gives them. Every change is logged as an event ("stop app", "createVolume v",
 * "write app /srv"), and any event can be made to fail once. It refuses what the real engine refuses:
 * creating a container twice or from an image it lacks, removing a volume a container still mounts,
 * starting a container that does not exist. Exec is not supported: kinds that need a server inside the
 * container (PostgreSQL, Redis) are tested on the real rig.
 */
public final class InMemoryEngine implements DockerEngine {
    /** One file or directory. */
    private record Node(boolean dir, byte[] bytes, int mode) {
    }

    private static final class Box {
        ContainerSpec spec;
        boolean running;
        final TreeMap<String, Node> files = new TreeMap<>();

        Box(ContainerSpec spec) {
            this.spec = spec;
        }
    }

    private final Host host;
    private final Map<String, Box> containers = new LinkedHashMap<>();
    private final Map<String, VolumeSpec> volumes = new LinkedHashMap<>();
    private final Map<String, TreeMap<String, Node>> volumeFiles = new HashMap<>();
    private final Map<String, NetworkSpec> networks = new LinkedHashMap<>();
    private final Map<String, String> images = new HashMap<>();
    private final List<String> events = Collections.synchronizedList(new ArrayList<>());
    private final Set<String> failOnce = Collections.synchronizedSet(new HashSet<>());

    public InMemoryEngine(String hostName) {
        this.host = new Host(hostName, "unix:///in-memory", false, null, null);
    }

    // ---- set-up and inspection, for tests

    /** An image the engine has: a tag and its id. */
    public synchronized InMemoryEngine image(String tag, String id) {
        images.put(tag, id);
        images.put(id, id);
        return this;
    }

    /** A running container, created as compose would have: its volumes are created with it. */
    public synchronized InMemoryEngine run(ContainerSpec spec) {
        for (MountSpec m : spec.mounts()) {
            if (m.isVolume() && !volumes.containsKey(m.source())) {
                putVolume(new VolumeSpec(m.source(), "local", Map.of(), Map.of()));
            }
        }
        Box b = new Box(spec);
        b.running = true;
        containers.put(spec.name(), b);
        return this;
    }

    /** Writes a file into a container (through its mounts, as an app would). */
    public synchronized void putFile(String container, String path, String text) {
        Target t = resolve(box(container), path);
        parents(t.files(), t.path());
        t.files().put(t.path(), new Node(false, text.getBytes(StandardCharsets.UTF_8), 0644));
    }

    /** A file's text in a container, or null when there is none. */
    public synchronized String file(String container, String path) {
        Target t = resolve(box(container), path);
        Node n = t.files().get(t.path());
        return n == null || n.dir() ? null : new String(n.bytes(), StandardCharsets.UTF_8);
    }

    /** The paths of the files in a volume. */
    public synchronized List<String> volumeFiles(String volume) {
        TreeMap<String, Node> files = volumeFiles.get(volume);
        return files == null ? List.of() : files.entrySet().stream().filter(e -> !e.getValue().dir()).map(Map.Entry::getKey).toList();
    }

    /** The paths of every entry in a volume, directories too. */
    public synchronized List<String> volumeEntries(String volume) {
        TreeMap<String, Node> files = volumeFiles.get(volume);
        return files == null ? List.of() : List.copyOf(files.keySet());
    }

    public synchronized boolean running(String container) {
        Box b = containers.get(container);
        return b != null && b.running;
    }

    public synchronized Set<String> containerNames() {
        return Set.copyOf(containers.keySet());
    }

    public synchronized Set<String> volumeNames() {
        return Set.copyOf(volumes.keySet());
    }

    public synchronized Set<String> networkNames() {
        return Set.copyOf(networks.keySet());
    }

    /** Every change so far, in order. */
    public List<String> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    /** The next time {@code event} happens (e.g. "start app"), it fails as the engine would, and changes nothing. */
    public void failOnce(String event) {
        failOnce.add(event);
    }

    /**
     * The next write into a container, or directory made in a volume (once made), whose event starts with
     * {@code prefix} waits, outside the engine's lock, for its thread to be interrupted (a cancel, a sibling's
     * failure) and then fails as the real engine's socket would; after 30 s without an interrupt it goes ahead.
     * Whether it was interrupted is {@link #holdInterrupted}.
     */
    public void holdUntilInterrupted(String prefix) {
        hold = prefix;
    }

    /** Whether the write held by {@link #holdUntilInterrupted} was interrupted. */
    public boolean holdInterrupted() {
        return holdInterrupted;
    }

    /** Whether a write is being held now. */
    public java.util.concurrent.CountDownLatch holding() {
        return holding;
    }

    private volatile String hold;
    private volatile boolean holdInterrupted;
    private final java.util.concurrent.CountDownLatch holding = new java.util.concurrent.CountDownLatch(1);

    private void held(String e) {
        String prefix = hold;
        if (prefix == null || !e.startsWith(prefix)) {
            return;
        }
        hold = null;
        holding.countDown();
        try {
            new java.util.concurrent.CountDownLatch(1).await(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException interrupted) {
            holdInterrupted = true;
            Thread.currentThread().interrupt(); // as a socket channel closed by an interrupt leaves it
            throw new HostException("Host " + host.name() + ": " + e + " interrupted");
        }
    }

    private void event(String e) {
        if (Thread.currentThread().isInterrupted()) {
            // as the real engine: its socket channel closes at once when the calling thread is interrupted
            throw new HostException("Host " + host.name() + ": cannot " + e + ": the thread was interrupted");
        }
        if (failOnce.remove(e)) {
            throw new HostException("Host " + host.name() + ": cannot " + e + ": injected failure");
        }
        events.add(e);
    }

    // ---- the engine

    @Override
    public Host host() {
        return host;
    }

    @Override
    public SshTunnel tunnel() {
        return null;
    }

    @Override
    public String serverVersion() {
        return "in-memory";
    }

    @Override
    public synchronized List<ContainerSpec> containersLabelled(String key, String value) {
        return containers.values().stream()
                .filter(b -> b.spec.labels() != null && b.spec.labels().containsKey(key)
                        && (value == null || value.equals(b.spec.labels().get(key))))
                .map(this::spec).toList();
    }

    @Override
    public synchronized List<ContainerSpec> containersUsingVolume(String volume) {
        return containers.values().stream()
                .filter(b -> b.spec.mounts().stream().anyMatch(m -> m.isVolume() && m.source().equals(volume)))
                .map(this::spec).toList();
    }

    private ContainerSpec spec(Box b) {
        ContainerSpec s = b.spec;
        return new ContainerSpec(s.name(), s.image(), images.getOrDefault(s.image(), s.imageId()), s.cmd(), s.entrypoint(),
                s.env(), s.labels(), s.user(), s.workingDir(), s.networkMode(), s.restartPolicy(), s.mounts(), s.healthcheck(),
                b.running, s.engine());
    }

    @Override
    public synchronized boolean hasImage(String image) {
        return images.containsKey(image);
    }

    @Override
    public synchronized Optional<ContainerSpec> inspect(String nameOrId) {
        return Optional.ofNullable(containers.get(nameOrId)).map(this::spec);
    }

    @Override
    public synchronized Optional<String> imageId(String ref) {
        return Optional.ofNullable(images.get(ref));
    }

    @Override
    public synchronized Optional<NetworkSpec> network(String name) {
        return Optional.ofNullable(networks.get(name));
    }

    @Override
    public synchronized void createNetwork(NetworkSpec spec, boolean fixedAddresses) {
        if (networks.containsKey(spec.name())) {
            throw new HostException("Host " + host.name() + ": network " + spec.name() + " already exists");
        }
        event("createNetwork " + spec.name());
        networks.put(spec.name(), spec);
    }

    @Override
    public synchronized void removeNetwork(String name) {
        event("removeNetwork " + name);
        networks.remove(name);
    }

    @Override
    public synchronized List<String> networksLabelled(String key, String value) {
        return networks.values().stream().filter(n -> n.labels() != null && n.labels().containsKey(key)
                && (value == null || value.equals(n.labels().get(key)))).map(NetworkSpec::name).toList();
    }

    @Override
    public ExecResult exec(String container, List<String> cmd, List<String> env, InputStream stdin, OutputStream stdout) {
        if (execs != null) {
            return execs.exec(container, cmd, env, stdin, stdout);
        }
        return new ExecResult(127, "exec is not available in the in-memory engine: " + cmd.get(0));
    }

    @Override
    public String execText(String container, List<String> env, String... cmd) {
        if (execs == null) {
            throw new HostException("Host " + host.name() + ": exec is not available in the in-memory engine");
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        ExecResult r = execs.exec(container, List.of(cmd), env, null, out);
        if (!r.ok()) {
            throw new HostException("Host " + host.name() + ": '" + String.join(" ", cmd) + "' exited with " + r.exitCode()
                    + ": " + r.stderr().trim());
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Runs a container's commands elsewhere (a test gives real processes on this machine). */
    public interface Execs {
        ExecResult exec(String container, List<String> cmd, List<String> env, InputStream stdin, OutputStream stdout);
    }

    private volatile Execs execs;

    /** What {@link #exec} runs from now on. */
    public InMemoryEngine execs(Execs execs) {
        this.execs = execs;
        return this;
    }

    /** Where a path of a container lives: a mounted volume's files, or the container's own. */
    private record Target(TreeMap<String, Node> files, String path) {
    }

    private Target resolve(Box b, String path) {
        String clean = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        MountSpec best = null;
        for (MountSpec m : b.spec.mounts()) {
            if (m.isVolume() && (clean.equals(m.target()) || clean.startsWith(m.target() + "/"))
                    && (best == null || m.target().length() > best.target().length())) {
                best = m;
            }
        }
        if (best == null) {
            return new Target(b.files, clean);
        }
        String inner = clean.substring(best.target().length());
        return new Target(volumeFiles.computeIfAbsent(best.source(), k -> new TreeMap<>()), inner.isEmpty() ? "/" : inner);
    }

    private Box box(String container) {
        Box b = containers.get(container);
        if (b == null) {
            throw new HostException("Host " + host.name() + ": no such container: " + container);
        }
        return b;
    }

    private static void parents(TreeMap<String, Node> files, String path) {
        int i = path.indexOf('/', 1);
        while (i > 0) {
            files.putIfAbsent(path.substring(0, i), new Node(true, null, 0755));
            i = path.indexOf('/', i + 1);
        }
    }

    @Override
    public InputStream readArchive(String container, String path) {
        Reads hook = reads;
        if (hook != null) {
            hook.read(container, path); // outside the engine's lock: a read that waits holds up no other call
        }
        return readArchiveLocked(container, path);
    }

    /** What a test does when a container's path is read, before it is (fail it, or hold it up). */
    public interface Reads {
        void read(String container, String path);
    }

    private volatile Reads reads;

    /** What {@link #readArchive} does first from now on. */
    public InMemoryEngine reads(Reads reads) {
        this.reads = reads;
        return this;
    }

    private synchronized InputStream readArchiveLocked(String container, String path) {
        Target t = resolve(box(container), path);
        String base = path.substring(path.replaceAll("/+$", "").lastIndexOf('/') + 1).replaceAll("/+$", "");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            Node n = t.files().get(t.path());
            if (n != null && !n.dir()) {
                put(tar, base, n);
            } else {
                String prefix = t.path().equals("/") ? "/" : t.path() + "/";
                List<Map.Entry<String, Node>> under = t.files().entrySet().stream()
                        .filter(e -> e.getKey().startsWith(prefix)).toList();
                if (n == null && under.isEmpty() && !t.path().equals("/")) {
                    throw new HostException("Host " + host.name() + ": cannot read " + path + " in " + container + ": not found");
                }
                put(tar, base + "/", new Node(true, null, 0755));
                for (Map.Entry<String, Node> e : under) {
                    String rel = e.getKey().substring(prefix.length());
                    put(tar, base + "/" + rel + (e.getValue().dir() ? "/" : ""), e.getValue());
                }
            }
        } catch (IOException e) {
            throw new HostException("in-memory tar: " + e.getMessage(), e);
        }
        return new ByteArrayInputStream(bytes.toByteArray());
    }

    private static void put(TarArchiveOutputStream tar, String name, Node n) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setMode((n.dir() ? 040000 : 0100000) | n.mode());
        if (!n.dir()) {
            e.setSize(n.bytes().length);
        }
        tar.putArchiveEntry(e);
        if (!n.dir()) {
            tar.write(n.bytes());
        }
        tar.closeArchiveEntry();
    }

    @Override
    public void writeArchive(String container, String dir, InputStream tar) {
        held("write " + container + " " + dir);
        write(container, dir, tar);
    }

    private synchronized void write(String container, String dir, InputStream tar) {
        Box b = box(container);
        event("write " + container + " " + dir);
        try {
            TarArchiveInputStream in = new TarArchiveInputStream(tar, StandardCharsets.UTF_8.name());
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                String name = e.getName().replaceAll("^(\\./)+", "").replaceAll("/+$", "");
                if (name.isEmpty() || name.equals(".")) {
                    continue;
                }
                if (name.startsWith("/") || name.equals("..") || name.startsWith("../") || name.contains("/../")) {
                    throw new HostException("tar entry outside the target: " + e.getName());
                }
                Target t = resolve(b, (dir.endsWith("/") ? dir : dir + "/") + name);
                parents(t.files(), t.path());
                t.files().put(t.path(), e.isDirectory() ? new Node(true, null, e.getMode() & 07777)
                        : new Node(false, in.readAllBytes(), e.getMode() & 07777));
            }
        } catch (IOException e) {
            throw new HostException("Host " + host.name() + ": cannot write into " + container + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized Optional<VolumeSpec> volume(String name) {
        return Optional.ofNullable(volumes.get(name));
    }

    @Override
    public synchronized void createVolume(VolumeSpec spec) {
        if (volumes.containsKey(spec.name())) {
            return; // as the engine: creating an existing volume is a no-op
        }
        event("createVolume " + spec.name());
        putVolume(spec);
    }

    private void putVolume(VolumeSpec spec) {
        volumes.put(spec.name(), spec);
        volumeFiles.put(spec.name(), new TreeMap<>());
    }

    @Override
    public synchronized void removeVolume(String name) {
        List<String> users = containers.values().stream()
                .filter(b -> b.spec.mounts().stream().anyMatch(m -> m.isVolume() && m.source().equals(name)))
                .map(b -> b.spec.name()).toList();
        if (!users.isEmpty()) {
            throw new HostException("Host " + host.name() + ": cannot remove volume " + name + ": in use by " + users);
        }
        event("removeVolume " + name);
        volumes.remove(name);
        volumeFiles.remove(name);
    }

    @Override
    public synchronized List<String> volumesLabelled(String key, String value) {
        return volumes.values().stream().filter(v -> v.labels() != null && v.labels().containsKey(key)
                && (value == null || value.equals(v.labels().get(key)))).map(VolumeSpec::name).toList();
    }

    @Override
    public synchronized void createContainer(ContainerSpec spec) {
        if (containers.containsKey(spec.name())) {
            throw new HostException("Host " + host.name() + ": container " + spec.name() + " already exists");
        }
        if (!images.containsKey(spec.image())) {
            throw new HostException("Host " + host.name() + ": no such image: " + spec.image());
        }
        for (MountSpec m : spec.mounts()) {
            if (m.isVolume() && !volumes.containsKey(m.source())) {
                createVolume(new VolumeSpec(m.source(), "local", Map.of(), Map.of()));
            }
        }
        event("create " + spec.name());
        containers.put(spec.name(), new Box(spec));
    }

    @Override
    public synchronized String createHelper(String image, String name, Map<String, String> labels, List<String> vols,
                                            boolean readOnly) {
        List<MountSpec> mounts = vols.stream().map(v -> new MountSpec("volume", v, "/lifeboat/" + v, readOnly)).toList();
        createContainer(new ContainerSpec(name, image, null, List.of(), List.of(), List.of(), labels, null, null, "none", "no",
                mounts, null, false));
        return name;
    }

    @Override
    public synchronized void moveWithinVolume(String image, Map<String, String> labels, String volume, String from, String to,
                                              List<String> keep) {
        event("move " + volume + " " + (from.isEmpty() ? "/" : from) + " -> " + (to.isEmpty() ? "/" : to));
        TreeMap<String, Node> files = volumeFiles.computeIfAbsent(volume, k -> new TreeMap<>());
        String src = from.isEmpty() ? "" : "/" + from;
        String dst = to.isEmpty() ? "" : "/" + to;
        List<String> moved = files.keySet().stream().filter(k -> k.startsWith(src + "/")).filter(k -> {
            String top = k.substring(src.length() + 1).split("/")[0];
            return !(src + "/" + top).equals(dst) && !keep.contains(top) && !top.startsWith(".lifeboat-");
        }).toList();
        if (!dst.isEmpty()) {
            parents(files, dst);
            files.putIfAbsent(dst, new Node(true, null, 0700));
        }
        for (String k : moved) {
            files.put(dst + k.substring(src.length()), files.remove(k));
        }
    }

    @Override
    public void makeDirWithinVolume(String image, Map<String, String> labels, String volume, String dir) {
        makeDir(volume, dir);
        held("mkdir " + volume + " " + dir); // made, then held: as an exec whose connection a stop cut after it ran
    }

    private synchronized void makeDir(String volume, String dir) {
        event("mkdir " + volume + " " + dir);
        TreeMap<String, Node> files = volumeFiles.computeIfAbsent(volume, k -> new TreeMap<>());
        if (files.containsKey("/" + dir)) {
            throw new HostException("Host " + host.name() + ": cannot make " + dir + " in volume " + volume + ": it exists");
        }
        files.put("/" + dir, new Node(true, null, 0700));
    }

    @Override
    public synchronized void swapIntoVolumeRoot(String image, Map<String, String> labels, String volume, String staged,
                                                String aside) {
        event("swap " + volume + " " + staged + " -> / -> " + aside);
        TreeMap<String, Node> files = volumeFiles.computeIfAbsent(volume, k -> new TreeMap<>());
        Node stagedDir = files.get("/" + staged);
        if (stagedDir == null || !stagedDir.dir() || files.containsKey("/" + aside)) {
            throw new HostException("Host " + host.name() + ": cannot swap " + staged + " into volume " + volume);
        }
        TreeMap<String, Node> next = new TreeMap<>();
        next.put("/" + aside, new Node(true, null, 0700));
        for (var e : files.entrySet()) {
            String k = e.getKey();
            String top = k.substring(1).split("/")[0];
            if (top.equals(staged)) {
                if (!k.equals("/" + staged)) {
                    next.put(k.substring(staged.length() + 1), e.getValue());
                }
            } else if (top.startsWith(".lifeboat-")) {
                next.put(k, e.getValue());
            } else {
                next.put("/" + aside + k, e.getValue());
            }
        }
        files.clear();
        files.putAll(next);
    }

    @Override
    public synchronized void swapFilesWithinVolume(String image, Map<String, String> labels, String volume, String dir,
                                                   List<String> names, String staged, String aside) {
        event("swapFiles " + volume + " " + dir + " " + names + " " + staged + " -> " + aside);
        TreeMap<String, Node> files = volumeFiles.computeIfAbsent(volume, k -> new TreeMap<>());
        String d = dir.isEmpty() ? "" : "/" + dir;
        if (!files.containsKey("/" + staged) || files.containsKey("/" + aside)) {
            throw new HostException("Host " + host.name() + ": cannot swap " + names + " in volume " + volume);
        }
        files.put("/" + aside, new Node(true, null, 0700));
        for (String n : names) {
            move(files, d + "/" + n, "/" + aside + "/" + n);
            move(files, "/" + staged + "/" + n, d + "/" + n);
        }
        files.keySet().removeIf(k -> k.equals("/" + staged) || k.startsWith("/" + staged + "/"));
    }

    /** Moves the entry {@code from} and all below it to {@code to}; nothing when there is none. */
    private static void move(TreeMap<String, Node> files, String from, String to) {
        List<String> keys = files.keySet().stream().filter(k -> k.equals(from) || k.startsWith(from + "/")).toList();
        for (String k : keys) {
            files.put(to + k.substring(from.length()), files.remove(k));
        }
    }

    private final Map<String, Long> freeBytes = new HashMap<>();

    /** The free space the filesystem of {@code volume} reports (unlimited unless set). */
    public synchronized InMemoryEngine volumeFree(String volume, long bytes) {
        freeBytes.put(volume, bytes);
        return this;
    }

    @Override
    public synchronized long freeBytesInVolume(String image, Map<String, String> labels, String volume) {
        return freeBytes.getOrDefault(volume, Long.MAX_VALUE / 2);
    }

    @Override
    public synchronized void removeWithinVolume(String image, Map<String, String> labels, String volume, String dir) {
        event("rm " + volume + " " + dir);
        TreeMap<String, Node> files = volumeFiles.computeIfAbsent(volume, k -> new TreeMap<>());
        files.keySet().removeIf(k -> k.equals("/" + dir) || k.startsWith("/" + dir + "/"));
    }

    @Override
    public synchronized void start(String container) {
        Box b = box(container);
        if (b.running) {
            return;
        }
        event("start " + container);
        b.running = true;
    }

    @Override
    public synchronized void stop(String container, int timeoutSeconds) {
        Box b = box(container);
        if (!b.running) {
            return;
        }
        event("stop " + container);
        b.running = false;
    }

    @Override
    public synchronized void remove(String container) {
        if (!containers.containsKey(container)) {
            return;
        }
        event("remove " + container);
        containers.remove(container);
    }

    @Override
    public void awaitReady(String container, Duration timeout, BooleanSupplier probe) {
        synchronized (this) {
            if (!box(container).running) {
                throw new HostException("Host " + host.name() + ": container " + container + " is not running");
            }
        }
        if (!probe.getAsBoolean()) {
            throw new HostException("Host " + host.name() + ": container " + container + " is not ready");
        }
    }

    @Override
    public synchronized void awaitStopped(String container, Duration timeout) {
        if (box(container).running) {
            throw new HostException("Host " + host.name() + ": container " + container + " did not stop");
        }
    }

    @Override
    public void close() {
        // nothing to release; the engine outlives the connections a test opens to it
    }

}
