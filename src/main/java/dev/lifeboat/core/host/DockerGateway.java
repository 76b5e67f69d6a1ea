package dev.lifeboat.core.host;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectExecResponse;
import com.github.dockerjava.api.command.InspectVolumeResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.api.model.RestartPolicy;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import dev.lifeboat.core.HostException;
import dev.lifeboat.core.model.ContainerSpec;
import dev.lifeboat.core.model.HealthSpec;
import dev.lifeboat.core.model.Host;
import dev.lifeboat.core.secrets.Secrets;
import dev.lifeboat.core.model.MountSpec;
import dev.lifeboat.core.model.VolumeSpec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The Docker Engine API of one host, through docker-java (API 1.41). Every library failure is
 * rethrown as a {@link HostException} that names the host and the operation.
 */
public final class DockerGateway implements AutoCloseable {
    public static final String API_VERSION = "1.41";
    private final Host host;
    private final DockerClient client;
    private final EngineStreams streams;
    private final SshTunnel tunnel;

    private DockerGateway(Host host, DockerClient client, EngineStreams streams, SshTunnel tunnel) {
        this.host = host;
        this.client = client;
        this.streams = streams;
        this.tunnel = tunnel;
    }

    /** Connects to a host's engine: its unix socket, or over SSH through an {@link SshTunnel}. */
    public static DockerGateway connect(Host host, Secrets secrets) {
        if (host.ssh()) {
            SshTunnel tunnel = SshTunnel.open(host, secrets);
            try {
                return connect(host, "unix://" + tunnel.socket(), tunnel);
            } catch (RuntimeException e) {
                tunnel.close();
                throw e;
            }
        }
        return connect(host, host.endpoint(), null);
    }

    private static DockerGateway connect(Host host, String endpoint, SshTunnel tunnel) {
        URI uri = URI.create(endpoint);
        if (!"unix".equals(uri.getScheme())) {
            throw new HostException("Host " + host.name() + ": endpoint " + host.endpoint()
                    + " is not supported; use unix:///var/run/docker.sock or ssh://user@host[:port]");
        }
        DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(endpoint)
                .withApiVersion(API_VERSION)
                .build();
        ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .maxConnections(16)
                .connectionTimeout(Duration.ofSeconds(10))
                .build();
        return new DockerGateway(host, DockerClientImpl.getInstance(config, http),
                new EngineStreams(Path.of(uri.getPath()), API_VERSION), tunnel);
    }

    public Host host() {
        return host;
    }

    /** The SSH tunnel for SSH hosts (for SFTP), or null for the local engine. */
    public SshTunnel tunnel() {
        return tunnel;
    }

    /** The engine's version; fails with a clear message when the engine does not answer. */
    public String serverVersion() {
        return call("reach the Docker engine at " + host.endpoint(), () -> client.versionCmd().exec().getVersion());
    }

    /** All containers (running or not) carrying the label {@code key}, optionally with {@code value}. */
    public List<ContainerSpec> containersLabelled(String key, String value) {
        List<Container> found = call("list containers", () -> value == null
                ? client.listContainersCmd().withShowAll(true).withLabelFilter(List.of(key)).exec()
                : client.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(key, value)).exec());
        List<ContainerSpec> specs = new ArrayList<>();
        for (Container c : found) {
            inspect(c.getId()).ifPresent(specs::add);
        }
        specs.sort((a, b) -> a.name().compareTo(b.name()));
        return specs;
    }

    /** Whether the engine has this image locally (nothing is pulled). */
    public boolean hasImage(String image) {
        try {
            client.inspectImageCmd(image).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        } catch (DockerException e) {
            throw failure("inspect image " + image, e);
        }
    }

    public Optional<ContainerSpec> inspect(String nameOrId) {
        InspectContainerResponse r;
        try {
            r = client.inspectContainerCmd(nameOrId).exec();
        } catch (NotFoundException e) {
            return Optional.empty();
        } catch (DockerException e) {
            throw failure("inspect container " + nameOrId, e);
        }
        var c = r.getConfig();
        var hc = r.getHostConfig();
        List<MountSpec> mounts = new ArrayList<>();
        if (r.getMounts() != null) {
            for (InspectContainerResponse.Mount m : r.getMounts()) {
                String target = m.getDestination() == null ? null : m.getDestination().getPath();
                boolean ro = m.getRW() != null && !m.getRW();
                if (m.getName() != null && !m.getName().isEmpty() && (m.getDriver() != null)) {
                    mounts.add(new MountSpec("volume", m.getName(), target, ro));
                } else {
                    mounts.add(new MountSpec("bind", m.getSource(), target, ro));
                }
            }
        }
        HealthSpec health = null;
        HealthCheck h = c.getHealthcheck();
        if (h != null && h.getTest() != null && !h.getTest().isEmpty()) {
            health = new HealthSpec(h.getTest(), h.getInterval(), h.getTimeout(), h.getRetries(), h.getStartPeriod());
        }
        RestartPolicy rp = hc == null ? null : hc.getRestartPolicy();
        return Optional.of(new ContainerSpec(
                r.getName().startsWith("/") ? r.getName().substring(1) : r.getName(),
                c.getImage(),
                r.getImageId(),
                list(c.getCmd()),
                list(c.getEntrypoint()),
                list(c.getEnv()),
                c.getLabels() == null ? Map.of() : new LinkedHashMap<>(c.getLabels()),
                c.getUser(),
                c.getWorkingDir(),
                hc == null ? null : hc.getNetworkMode(),
                rp == null ? null : rp.toString(),
                mounts,
                health,
                Boolean.TRUE.equals(r.getState().getRunning())));
    }

    private static List<String> list(String[] a) {
        return a == null ? null : List.of(a);
    }

    /**
     * Runs {@code cmd} inside a running container; stdin (may be null) is streamed in and closed,
     * stdout is streamed to {@code stdout}. Returns the exit code and the start of stderr.
     */
    public ExecResult exec(String container, List<String> cmd, List<String> env, InputStream stdin, OutputStream stdout) {
        String what = "run " + cmd.get(0) + " in container " + container;
        String execId = call(what, () -> {
            var create = client.execCreateCmd(container).withCmd(cmd.toArray(String[]::new))
                    .withAttachStdout(true).withAttachStderr(true).withAttachStdin(stdin != null);
            if (env != null && !env.isEmpty()) {
                create.withEnv(env);
            }
            return create.exec().getId();
        });
        String stderr;
        try {
            stderr = streams.start(execId, stdin, stdout);
        } catch (IOException e) {
            throw new HostException("Host " + host.name() + ": " + what + " failed: " + e.getMessage(), e);
        }
        for (int i = 0; i < 600; i++) {
            InspectExecResponse info = call("inspect exec", () -> client.inspectExecCmd(execId).exec());
            if (!Boolean.TRUE.equals(info.isRunning())) {
                return new ExecResult(info.getExitCodeLong() == null ? -1 : info.getExitCodeLong(), stderr);
            }
            sleep(50);
        }
        throw new HostException("Host " + host.name() + ": " + what + " did not finish after its output ended");
    }

    /** Runs a short command and returns its stdout as text; a non-zero exit is an error naming stderr. */
    public String execText(String container, List<String> env, String... cmd) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ExecResult r = exec(container, List.of(cmd), env, null, out);
        if (!r.ok()) {
            throw new HostException("Host " + host.name() + ": '" + String.join(" ", cmd) + "' in container "
                    + container + " exited with " + r.exitCode() + ": " + r.stderr().trim());
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** A tar stream of {@code path} in the container (running or not), as the Engine API's archive endpoint gives it. */
    public InputStream readArchive(String container, String path) {
        try {
            return streams.readArchive(container, path);
        } catch (IOException e) {
            throw new HostException("Host " + host.name() + ": cannot read " + path + " from container " + container
                    + ": " + e.getMessage(), e);
        } catch (HostException e) {
            throw new HostException("Host " + host.name() + ": " + e.getMessage(), e);
        }
    }

    /** Extracts a tar stream into {@code dir} of the container (running or not). Ownership in the tar is kept. */
    public void writeArchive(String container, String dir, InputStream tar) {
        try {
            streams.writeArchive(container, dir, tar);
        } catch (IOException e) {
            throw new HostException("Host " + host.name() + ": cannot write into " + dir + " of container " + container
                    + ": " + e.getMessage(), e);
        } catch (HostException e) {
            throw new HostException("Host " + host.name() + ": " + e.getMessage(), e);
        }
    }

    public Optional<VolumeSpec> volume(String name) {
        try {
            InspectVolumeResponse v = client.inspectVolumeCmd(name).exec();
            return Optional.of(new VolumeSpec(v.getName(), v.getDriver(),
                    v.getLabels() == null ? Map.of() : new LinkedHashMap<>(v.getLabels())));
        } catch (NotFoundException e) {
            return Optional.empty();
        } catch (DockerException e) {
            throw failure("inspect volume " + name, e);
        }
    }

    public void createVolume(VolumeSpec spec) {
        call("create volume " + spec.name(), () -> client.createVolumeCmd().withName(spec.name())
                .withDriver(spec.driver() == null ? "local" : spec.driver())
                .withLabels(spec.labels() == null ? Map.of() : spec.labels()).exec());
    }

    public void removeVolume(String name) {
        call("remove volume " + name, () -> {
            client.removeVolumeCmd(name).exec();
            return null;
        });
    }

    public List<String> volumesLabelled(String key, String value) {
        return call("list volumes", () -> {
            var vols = client.listVolumesCmd().withFilter("label", List.of(value == null ? key : key + "=" + value))
                    .exec().getVolumes();
            return vols == null ? List.<String>of() : vols.stream().map(InspectVolumeResponse::getName).sorted().toList();
        });
    }

    /** Creates (but does not start) a container from a recorded spec. */
    public void createContainer(ContainerSpec spec) {
        call("create container " + spec.name(), () -> {
            CreateContainerCmd cmd = client.createContainerCmd(spec.image()).withName(spec.name());
            if (spec.cmd() != null) {
                cmd.withCmd(spec.cmd());
            }
            if (spec.entrypoint() != null) {
                cmd.withEntrypoint(spec.entrypoint());
            }
            if (spec.env() != null) {
                cmd.withEnv(spec.env());
            }
            if (spec.labels() != null) {
                cmd.withLabels(spec.labels());
            }
            if (spec.user() != null && !spec.user().isEmpty()) {
                cmd.withUser(spec.user());
            }
            if (spec.workingDir() != null && !spec.workingDir().isEmpty()) {
                cmd.withWorkingDir(spec.workingDir());
            }
            HealthSpec h = spec.healthcheck();
            if (h != null) {
                cmd.withHealthcheck(new HealthCheck().withTest(h.test()).withInterval(h.intervalNanos())
                        .withTimeout(h.timeoutNanos()).withRetries(h.retries()).withStartPeriod(h.startPeriodNanos()));
            }
            HostConfig hc = HostConfig.newHostConfig().withMounts(spec.mounts().stream().map(DockerGateway::mount).toList());
            if (spec.networkMode() != null) {
                hc.withNetworkMode(spec.networkMode());
            }
            if (spec.restartPolicy() != null && !spec.restartPolicy().isEmpty()) {
                hc.withRestartPolicy(RestartPolicy.parse(spec.restartPolicy()));
            }
            return cmd.withHostConfig(hc).exec();
        });
    }

    private static Mount mount(MountSpec m) {
        return new Mount().withType(m.isVolume() ? MountType.VOLUME : MountType.BIND)
                .withSource(m.source()).withTarget(m.target()).withReadOnly(m.readOnly());
    }

    /**
     * Creates a stopped helper container from {@code image} with the given volumes mounted at
     * /lifeboat/&lt;volume&gt;; it is never started: the archive endpoint works on stopped containers.
     */
    public String createHelper(String image, String name, Map<String, String> labels, List<String> volumes, boolean readOnly) {
        List<Mount> mounts = volumes.stream().map(v -> new Mount().withType(MountType.VOLUME).withSource(v)
                .withTarget("/lifeboat/" + v).withReadOnly(readOnly)).toList();
        return call("create helper container from " + image, () -> client.createContainerCmd(image).withName(name)
                .withLabels(labels).withCmd("true").withNetworkDisabled(true)
                .withHostConfig(HostConfig.newHostConfig().withNetworkMode("none").withMounts(mounts)).exec().getId());
    }

    public void start(String container) {
        call("start container " + container, () -> {
            try {
                client.startContainerCmd(container).exec();
            } catch (NotModifiedException alreadyRunning) {
                // already running is what we wanted
            }
            return null;
        });
    }

    public void stop(String container, int timeoutSeconds) {
        call("stop container " + container, () -> {
            try {
                client.stopContainerCmd(container).withTimeout(timeoutSeconds).exec();
            } catch (NotModifiedException alreadyStopped) {
                // already stopped
            }
            return null;
        });
    }

    public void remove(String container) {
        call("remove container " + container, () -> {
            try {
                client.removeContainerCmd(container).withForce(true).exec();
            } catch (NotFoundException gone) {
                // already gone
            }
            return null;
        });
    }

    /**
     * Waits until the container is healthy (when it has a healthcheck) and {@code probe} passes.
     * Fails fast when the container stops.
     */
    public void awaitReady(String container, Duration timeout, BooleanSupplier probe) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "not checked";
        while (System.nanoTime() < deadline) {
            InspectContainerResponse r = call("inspect container " + container,
                    () -> client.inspectContainerCmd(container).exec());
            var state = r.getState();
            if (!Boolean.TRUE.equals(state.getRunning())) {
                throw new HostException("Host " + host.name() + ": container " + container + " is not running (status "
                        + state.getStatus() + ", exit code " + state.getExitCodeLong() + ")");
            }
            String health = state.getHealth() == null ? null : state.getHealth().getStatus();
            if ("unhealthy".equals(health)) {
                throw new HostException("Host " + host.name() + ": container " + container + " is unhealthy");
            }
            if (health == null || "healthy".equals(health)) {
                if (probe.getAsBoolean()) {
                    return;
                }
                last = "ready probe failing";
            } else {
                last = "health " + health;
            }
            sleep(250);
        }
        throw new HostException("Host " + host.name() + ": container " + container + " was not ready within "
                + timeout.toSeconds() + " s (" + last + ")");
    }

    /** Waits until the container has exited on its own. */
    public void awaitStopped(String container, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (inspect(container).map(ContainerSpec::running).orElse(false)) {
            if (System.nanoTime() > deadline) {
                throw new HostException("Host " + host.name() + ": container " + container + " did not stop within "
                        + timeout.toSeconds() + " s");
            }
            sleep(100);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HostException("interrupted");
        }
    }

    private <T> T call(String what, java.util.concurrent.Callable<T> action) {
        try {
            return action.call();
        } catch (HostException e) {
            throw e;
        } catch (NotFoundException e) {
            throw new HostException("Host " + host.name() + ": cannot " + what + ": not found", e);
        } catch (DockerException e) {
            throw failure(what, e);
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            throw new HostException("Host " + host.name() + ": cannot " + what + ": " + root.getMessage(), e);
        } catch (Exception e) {
            throw new HostException("Host " + host.name() + ": cannot " + what + ": " + e.getMessage(), e);
        }
    }

    private HostException failure(String what, DockerException e) {
        String msg = e.getMessage() == null ? "" : e.getMessage().replaceAll("\\s+", " ").trim();
        return new HostException("Host " + host.name() + ": cannot " + what + ": " + msg, e);
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (IOException e) {
            throw new HostException("Host " + host.name() + ": closing the Docker connection failed", e);
        } finally {
            if (tunnel != null) {
                tunnel.close();
            }
        }
    }

}
