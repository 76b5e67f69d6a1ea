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
import dev.lifeboat.core.model.NetworkSpec;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The Docker Engine API of one host, through docker-java (API 1.41). Every library failure is
 * rethrown as a {@link HostException} that names the host and the operation.
 */
public final class DockerGateway implements DockerEngine {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DockerGateway.class);
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

    @Override
    public Host host() {
        return host;
    }

    /** The SSH tunnel for SSH hosts (for SFTP), or null for the local engine. */
    @Override
    public SshTunnel tunnel() {
        return tunnel;
    }

    /** The engine's version; fails with a clear message when the engine does not answer. */
    @Override
    public String serverVersion() {
        return call("reach the Docker engine at " + host.endpoint(), () -> client.versionCmd().exec().getVersion());
    }

    /** All containers (running or not) carrying the label {@code key}, optionally with {@code value}. */
    @Override
    public List<ContainerSpec> containersLabelled(String key, String value) {
        return inspected(call("list containers", () -> value == null
                ? client.listContainersCmd().withShowAll(true).withLabelFilter(List.of(key)).exec()
                : client.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(key, value)).exec()));
    }

    /** The full specs of listed containers, by name; one gone since the listing is left out. */
    private List<ContainerSpec> inspected(List<Container> found) {
        List<ContainerSpec> specs = new ArrayList<>();
        for (Container c : found) {
            inspect(c.getId()).ifPresent(specs::add);
        }
        specs.sort((a, b) -> a.name().compareTo(b.name()));
        return specs;
    }

    @Override
    public List<ContainerSpec> containersUsingVolume(String volume) {
        // this connection's own resident helpers are not users of the volume (removeVolume drops them): they stay, so
        // a swap after this asks execs of them, not a container start
        java.util.Set<String> own = java.util.Set.copyOf(residents.values());
        return inspected(call("list containers using volume " + volume,
                () -> client.listContainersCmd().withShowAll(true).withVolumeFilter(List.of(volume)).exec()).stream()
                .filter(c -> !own.contains(c.getId())).toList());
    }

    /** Whether the engine has this image locally (nothing is pulled). */
    @Override
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

    @Override
    public Optional<ContainerSpec> inspect(String nameOrId) {
        EngineStreams.Answer a = api("inspect container " + nameOrId, "GET",
                "/containers/" + EngineStreams.path(nameOrId) + "/json", null);
        if (a.status() == 404) {
            return Optional.empty();
        }
        failUnlessOk("inspect container " + nameOrId, a);
        return Optional.of(spec(a.body()));
    }

    /** A spec from the Engine API's container inspect answer, keeping the whole configuration in {@code engine}. */
    static ContainerSpec spec(JsonNode r) {
        JsonNode c = r.path("Config");
        JsonNode hc = r.path("HostConfig");
        List<MountSpec> mounts = new ArrayList<>();
        for (JsonNode m : r.path("Mounts")) {
            String target = text(m, "Destination");
            boolean ro = m.has("RW") && !m.path("RW").asBoolean();
            String name = text(m, "Name");
            if ("volume".equals(text(m, "Type")) && name != null && !name.isEmpty()) {
                mounts.add(new MountSpec("volume", name, target, ro));
            } else if ("tmpfs".equals(text(m, "Type"))) {
                mounts.add(new MountSpec("tmpfs", null, target, ro));
            } else {
                mounts.add(new MountSpec("bind", text(m, "Source"), target, ro));
            }
        }
        HealthSpec health = null;
        JsonNode h = c.path("Healthcheck");
        if (h.path("Test").isArray() && h.path("Test").size() > 0) {
            health = new HealthSpec(strings(h.path("Test")), longOrNull(h, "Interval"), longOrNull(h, "Timeout"),
                    h.has("Retries") ? h.path("Retries").asInt() : null, longOrNull(h, "StartPeriod"));
        }
        JsonNode rp = hc.path("RestartPolicy");
        String restart = null;
        if (rp.isObject()) {
            String n = text(rp, "Name");
            int max = rp.path("MaximumRetryCount").asInt(0);
            restart = n == null || n.isEmpty() ? "no" : n + (max > 0 ? ":" + max : "");
        }
        Map<String, String> labels = new LinkedHashMap<>();
        c.path("Labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        ObjectNode engine = JsonNodeFactory.instance.objectNode();
        engine.put("Id", text(r, "Id"));
        engine.set("Config", c.deepCopy());
        engine.set("HostConfig", hc.deepCopy());
        ObjectNode networks = engine.putObject("Networks");
        r.path("NetworkSettings").path("Networks").fields().forEachRemaining(e -> networks.set(e.getKey(), e.getValue().deepCopy()));
        String name = text(r, "Name");
        return new ContainerSpec(
                name != null && name.startsWith("/") ? name.substring(1) : name,
                text(c, "Image"),
                text(r, "Image"),
                c.path("Cmd").isArray() ? strings(c.path("Cmd")) : null,
                c.path("Entrypoint").isArray() ? strings(c.path("Entrypoint")) : null,
                c.path("Env").isArray() ? strings(c.path("Env")) : null,
                labels,
                text(c, "User"),
                text(c, "WorkingDir"),
                text(hc, "NetworkMode"),
                restart,
                mounts,
                health,
                r.path("State").path("Running").asBoolean(false),
                engine);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Long longOrNull(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asLong();
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(x -> out.add(x.asText()));
        return List.copyOf(out);
    }

    /** The id of an image reference (tag or id) on this host, or empty when the host does not have it. */
    @Override
    public Optional<String> imageId(String ref) {
        if (ref == null || ref.isEmpty()) {
            return Optional.empty();
        }
        EngineStreams.Answer a = api("inspect image " + ref, "GET", "/images/" + EngineStreams.path(ref) + "/json", null);
        if (a.status() == 404) {
            return Optional.empty();
        }
        failUnlessOk("inspect image " + ref, a);
        return Optional.ofNullable(text(a.body(), "Id"));
    }

    /** A network as recorded for a point; empty when it does not exist. */
    @Override
    public Optional<NetworkSpec> network(String name) {
        EngineStreams.Answer a = api("inspect network " + name, "GET", "/networks/" + EngineStreams.path(name), null);
        if (a.status() == 404) {
            return Optional.empty();
        }
        failUnlessOk("inspect network " + name, a);
        JsonNode n = a.body();
        Map<String, String> options = new LinkedHashMap<>();
        n.path("Options").fields().forEachRemaining(e -> options.put(e.getKey(), e.getValue().asText()));
        Map<String, String> labels = new LinkedHashMap<>();
        n.path("Labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        return Optional.of(new NetworkSpec(text(n, "Name"), text(n, "Driver"), n.path("Internal").asBoolean(false),
                n.path("Attachable").asBoolean(false), n.path("EnableIPv6").asBoolean(false), options, labels,
                n.path("IPAM").deepCopy()));
    }

    /**
     * Creates a network from its record. When the recorded subnet is taken by a network made since, and no
     * container asked for a fixed address on it, Docker picks the subnet, as it did when compose made it.
     */
    @Override
    public void createNetwork(NetworkSpec spec, boolean fixedAddresses) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("Name", spec.name());
        body.put("CheckDuplicate", true);
        body.put("Driver", spec.driver() == null ? "bridge" : spec.driver());
        body.put("Internal", spec.internal());
        body.put("Attachable", spec.attachable());
        body.put("EnableIPv6", spec.enableIpv6());
        ObjectNode options = body.putObject("Options");
        if (spec.options() != null) {
            spec.options().forEach(options::put);
        }
        ObjectNode labels = body.putObject("Labels");
        if (spec.labels() != null) {
            spec.labels().forEach(labels::put);
        }
        if (spec.ipam() != null && spec.ipam().isObject()) {
            body.set("IPAM", spec.ipam().deepCopy());
        }
        EngineStreams.Answer a = api("create network " + spec.name(), "POST", "/networks/create", body);
        if (!a.ok() && !fixedAddresses && body.has("IPAM") && a.error() != null && a.error().contains("overlap")) {
            ((ObjectNode) body.get("IPAM")).remove("Config");
            a = api("create network " + spec.name(), "POST", "/networks/create", body);
        }
        failUnlessOk("create network " + spec.name(), a);
    }

    @Override
    public void removeNetwork(String name) {
        EngineStreams.Answer a = api("remove network " + name, "DELETE", "/networks/" + EngineStreams.path(name), null);
        if (a.status() != 404) {
            failUnlessOk("remove network " + name, a);
        }
    }

    /** Names of the networks carrying label {@code key=value}. */
    @Override
    public List<String> networksLabelled(String key, String value) {
        String filter = "{\"label\":[\"" + (value == null ? key : key + "=" + value).replace("\"", "") + "\"]}";
        EngineStreams.Answer a = api("list networks", "GET", "/networks?filters=" + EngineStreams.path(filter), null);
        failUnlessOk("list networks", a);
        List<String> out = new ArrayList<>();
        a.body().forEach(n -> out.add(n.path("Name").asText()));
        out.sort(null);
        return out;
    }

    private EngineStreams.Answer api(String what, String method, String target, JsonNode body) {
        try {
            return streams.call(method, target, body);
        } catch (IOException e) {
            throw new HostException("Host " + host.name() + ": cannot " + what + ": " + e.getMessage(), e);
        }
    }

    private void failUnlessOk(String what, EngineStreams.Answer a) {
        if (!a.ok()) {
            throw new HostException("Host " + host.name() + ": cannot " + what + ": "
                    + (a.status() == 404 ? "not found" : a.error()));
        }
    }

    private static List<String> list(String[] a) {
        return a == null ? null : List.of(a);
    }

    /**
     * Runs {@code cmd} inside a running container; stdin (may be null) is streamed in and closed,
     * stdout is streamed to {@code stdout}. Returns the exit code and the start of stderr.
     */
    @Override
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
        // the engine marks the exec finished a moment after its output ends: ask at once, then back off
        // (a fixed 50 ms wait cost every short exec most of its time)
        long deadline = System.nanoTime() + 30_000_000_000L;
        for (long wait = 1; ; wait = Math.min(50, wait * 2)) {
            InspectExecResponse info = call("inspect exec", () -> client.inspectExecCmd(execId).exec());
            if (!Boolean.TRUE.equals(info.isRunning())) {
                return new ExecResult(info.getExitCodeLong() == null ? -1 : info.getExitCodeLong(), stderr);
            }
            if (System.nanoTime() > deadline) {
                throw new HostException("Host " + host.name() + ": " + what + " did not finish after its output ended");
            }
            sleep(wait);
        }
    }

    /** Runs a short command and returns its stdout as text; a non-zero exit is an error naming stderr. */
    @Override
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
    @Override
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
    @Override
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

    @Override
    public Optional<VolumeSpec> volume(String name) {
        try {
            InspectVolumeResponse v = client.inspectVolumeCmd(name).exec();
            return Optional.of(new VolumeSpec(v.getName(), v.getDriver(),
                    v.getLabels() == null ? Map.of() : new LinkedHashMap<>(v.getLabels()),
                    v.getOptions() == null || v.getOptions().isEmpty() ? null : new LinkedHashMap<>(v.getOptions())));
        } catch (NotFoundException e) {
            return Optional.empty();
        } catch (DockerException e) {
            throw failure("inspect volume " + name, e);
        }
    }

    @Override
    public void createVolume(VolumeSpec spec) {
        call("create volume " + spec.name(), () -> {
            var cmd = client.createVolumeCmd().withName(spec.name())
                    .withDriver(spec.driver() == null ? "local" : spec.driver())
                    .withLabels(spec.labels() == null ? Map.of() : spec.labels());
            if (spec.options() != null && !spec.options().isEmpty()) {
                cmd.withDriverOpts(spec.options());
            }
            return cmd.exec();
        });
    }

    @Override
    public void removeVolume(String name) {
        dropResidents(name);
        call("remove volume " + name, () -> {
            client.removeVolumeCmd(name).exec();
            return null;
        });
    }

    @Override
    public List<String> volumesLabelled(String key, String value) {
        return call("list volumes", () -> {
            var vols = client.listVolumesCmd().withFilter("label", List.of(value == null ? key : key + "=" + value))
                    .exec().getVolumes();
            return vols == null ? List.<String>of() : vols.stream().map(InspectVolumeResponse::getName).sorted().toList();
        });
    }

    /**
     * Creates (but does not start) a container from a recorded spec: from its whole recorded engine
     * configuration when the point has it (ports, networks with aliases, limits and all), with
     * {@code spec.image()} as the image; else from the spec's fields.
     */
    @Override
    public void createContainer(ContainerSpec spec) {
        if (spec.engine() != null) {
            createFromRecord(spec);
            return;
        }
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

    private void createFromRecord(ContainerSpec spec) {
        JsonNode e = spec.engine();
        ObjectNode body = e.path("Config").deepCopy();
        body.put("Image", spec.image());
        String oldId = e.path("Id").asText("");
        String hostname = body.path("Hostname").asText("");
        if (!oldId.isEmpty() && !hostname.isEmpty() && oldId.startsWith(hostname)) {
            body.remove("Hostname"); // Docker's default (the old id); the new container gets its own
        }
        body.set("HostConfig", e.path("HostConfig").deepCopy());
        Map<String, JsonNode> networks = spec.networks();
        String primary = e.path("HostConfig").path("NetworkMode").asText("");
        ObjectNode endpoints = body.putObject("NetworkingConfig").putObject("EndpointsConfig");
        if (networks.containsKey(primary)) {
            endpoints.set(primary, endpoint(networks.get(primary), oldId));
        }
        EngineStreams.Answer a = api("create container " + spec.name(), "POST",
                "/containers/create?name=" + EngineStreams.path(spec.name()), body);
        failUnlessOk("create container " + spec.name(), a);
        for (var n : networks.entrySet()) {
            if (n.getKey().equals(primary) || NetworkSpec.builtIn(n.getKey())) {
                continue;
            }
            ObjectNode connect = JsonNodeFactory.instance.objectNode();
            connect.put("Container", spec.name());
            connect.set("EndpointConfig", endpoint(n.getValue(), oldId));
            failUnlessOk("connect " + spec.name() + " to network " + n.getKey(), api("connect " + spec.name(), "POST",
                    "/networks/" + EngineStreams.path(n.getKey()) + "/connect", connect));
        }
    }

    /** The settings of one network endpoint that a container asks for (not what Docker assigned). */
    private static ObjectNode endpoint(JsonNode recorded, String oldId) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (String f : new String[] {"IPAMConfig", "Links", "DriverOpts"}) {
            if (recorded.hasNonNull(f)) {
                out.set(f, recorded.get(f).deepCopy());
            }
        }
        ArrayNode aliases = out.putArray("Aliases");
        for (JsonNode alias : recorded.path("Aliases")) {
            String a = alias.asText();
            if (oldId.isEmpty() || !oldId.startsWith(a)) { // Docker adds the short id itself
                aliases.add(a);
            }
        }
        return out;
    }

    private static Mount mount(MountSpec m) {
        return new Mount().withType(m.isVolume() ? MountType.VOLUME : MountType.BIND)
                .withSource(m.source()).withTarget(m.target()).withReadOnly(m.readOnly());
    }

    /**
     * Creates a stopped helper container from {@code image} with the given volumes mounted at
     * /lifeboat/&lt;volume&gt;; it is never started: the archive endpoint works on stopped containers.
     */
    @Override
    public String createHelper(String image, String name, Map<String, String> labels, List<String> volumes, boolean readOnly) {
        List<Mount> mounts = volumes.stream().map(v -> new Mount().withType(MountType.VOLUME).withSource(v)
                .withTarget("/lifeboat/" + v).withReadOnly(readOnly)).toList();
        return createHelper(name, "create helper container from " + image, () -> client.createContainerCmd(image).withName(name)
                .withLabels(labels).withCmd("true").withNetworkDisabled(true)
                .withHostConfig(HostConfig.newHostConfig().withNetworkMode("none").withMounts(mounts)).exec().getId());
    }

    /**
     * Creates the helper {@code name} by {@code create}. A create that fails on the way back (its thread interrupted
     * by a cancel or a sibling's failure after Docker made the container, say) leaves no helper holding a volume:
     * the name is removed, if Docker made it.
     */
    private String createHelper(String name, String what, java.util.concurrent.Callable<String> create) {
        try {
            // to its end on a thread of its own, also when this one is interrupted meanwhile: a create Docker carries out
            // after the call gave up would make a helper after its removal by name, holding its volume; with the id
            // known, the caller's cleanup removes it
            return dev.lifeboat.core.Parallel.toItsEnd("lifeboat-create-helper", () -> call(what, create));
        } catch (java.io.IOException e) {
            removeHelper(name);
            throw new HostException("Host " + host.name() + ": cannot " + what + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            removeHelper(name);
            throw e;
        }
    }

    /**
     * The helper's script: "$1" the directory whose entries move, "$2" where to, then the names that stay; all
     * as arguments, never shell words. Lifeboat's own entries (.lifeboat-*) never move, and an entry whose name
     * exists at the destination stops the move rather than being moved into it.
     */
    private static final String MOVE = "set -e; src=$1; dst=$2; shift 2;"
            + " [ ! -L \"$src\" ] || { echo \"$src is a link\" >&2; exit 3; };"
            + " if [ ! -e \"$dst\" ]; then mkdir -p -- \"$dst\"; chown \"$(stat -c %u:%g -- \"$src\")\" -- \"$dst\";"
            + " chmod 700 -- \"$dst\"; fi;"
            + " [ ! -L \"$dst\" ] || { echo \"$dst is a link\" >&2; exit 3; }; cd -- \"$src\";"
            + " for f in * .[!.]* ..?*; do { [ -e \"$f\" ] || [ -L \"$f\" ]; } || continue;"
            + " [ \"$src/$f\" != \"$dst\" ] || continue; case $f in .lifeboat-*) continue;; esac;"
            + " skip=; for k in \"$@\"; do [ \"$f\" != \"$k\" ] || skip=1; done;"
            + " [ -z \"$skip\" ] || continue;"
            + " if [ -e \"$dst/$f\" ] || [ -L \"$dst/$f\" ]; then echo \"$dst/$f exists\" >&2; exit 4; fi;"
            + " mv -- \"$f\" \"$dst/\"; done";

    /** Makes "$2" at the root "$1", owned like the root, mode 700; refuses a name that exists. */
    private static final String MAKE_DIR = "set -e; root=$1; d=$1/$2;"
            + " if [ -e \"$d\" ] || [ -L \"$d\" ]; then echo \"$2 exists\" >&2; exit 3; fi;"
            + " mkdir -- \"$d\"; chown \"$(stat -c %u:%g -- \"$root\")\" -- \"$d\"; chmod 700 -- \"$d\"";

    /**
     * Swaps "$2" (staged) in at the root "$1": the root's entries but Lifeboat's own go into the new "$3",
     * the staged entries come up, the emptied staged directory goes. Checked before anything moves.
     */
    private static final String SWAP = "set -e; root=$1; new=$1/$2; old=$1/$3;"
            + " { [ -d \"$new\" ] && [ ! -L \"$new\" ]; } || { echo \"$2 is not a directory\" >&2; exit 3; };"
            + " if [ -e \"$old\" ] || [ -L \"$old\" ]; then echo \"$3 exists\" >&2; exit 3; fi;"
            + " mkdir -- \"$old\"; chown \"$(stat -c %u:%g -- \"$root\")\" -- \"$old\"; chmod 700 -- \"$old\"; cd -- \"$root\";"
            + " for f in * .[!.]* ..?*; do { [ -e \"$f\" ] || [ -L \"$f\" ]; } || continue;"
            + " case $f in .lifeboat-*) continue;; esac; mv -- \"$f\" \"$old/\"; done; cd -- \"$new\";"
            + " for f in * .[!.]* ..?*; do { [ -e \"$f\" ] || [ -L \"$f\" ]; } || continue;"
            + " if [ -e \"$root/$f\" ] || [ -L \"$root/$f\" ]; then echo \"$f exists at the root\" >&2; exit 4; fi;"
            + " mv -- \"$f\" \"$root/\"; done; cd -- \"$root\"; rmdir -- \"$new\"";

    /**
     * Swaps entries of the directory "$2" (relative to the root "$1", "" for the root itself) by rename: each
     * name after "$4" that exists there moves into the new "$4" at the root, and the one of the same name in the
     * staged "$3" (if any) takes its place; "$3" goes. Checked before anything
     * moves: the directory is reached without a link ({@code cd -P} lands where the path says).
     */
    private static final String SWAP_FILES = "set -e; root=$1; d=$1${2:+/$2}; new=$1/$3; old=$1/$4; shift 4;"
            + " { [ -d \"$new\" ] && [ ! -L \"$new\" ]; } || { echo \"the staged directory is missing\" >&2; exit 3; };"
            + " if [ -e \"$old\" ] || [ -L \"$old\" ]; then echo \"${old##*/} exists\" >&2; exit 3; fi;"
            + " [ \"$(cd -P -- \"$d\" && pwd -P)\" = \"$d\" ] || { echo \"the directory is reached through a link\" >&2; exit 3; };"
            + " mkdir -- \"$old\"; chown \"$(stat -c %u:%g -- \"$root\")\" -- \"$old\"; chmod 700 -- \"$old\";"
            + " for f in \"$@\"; do if [ -e \"$d/$f\" ] || [ -L \"$d/$f\" ]; then mv -- \"$d/$f\" \"$old/$f\"; fi;"
            + " if [ -e \"$new/$f\" ]; then mv -- \"$new/$f\" \"$d/$f\"; fi; done; rm -rf -- \"$new\"";

    @Override
    public void swapFilesWithinVolume(String image, Map<String, String> labels, String volume, String dir, List<String> names,
                                      String staged, String aside) {
        if (dir.startsWith("/") || java.util.Arrays.asList(dir.split("/")).contains("..") || dir.indexOf(0) >= 0
                || dir.endsWith("/") || names.isEmpty()) {
            throw new IllegalArgumentException("not a directory inside a volume: " + dir);
        }
        List<String> args = new ArrayList<>(List.of("/lifeboat/" + volume, dir, rootName(staged), rootName(aside)));
        for (String n : names) {
            if (rootName(n).startsWith(".lifeboat-")) {
                throw new IllegalArgumentException("not a name to swap: " + n);
            }
            args.add(n);
        }
        runInVolume(image, labels, volume, "swap " + String.join(", ", names) + " in volume " + volume, SWAP_FILES, args);
    }

    /** Removes "$2" at the root "$1" (rm never follows a link it removes). */
    private static final String REMOVE = "set -e; rm -rf -- \"$1/$2\"";

    @Override
    public void moveWithinVolume(String image, Map<String, String> labels, String volume, String from, String to, List<String> keep) {
        String root = "/lifeboat/" + volume;
        List<String> args = new ArrayList<>(List.of(from.isEmpty() ? root : root + "/" + from, to.isEmpty() ? root : root + "/" + to));
        args.addAll(keep);
        runInVolume(image, labels, volume, "move " + (from.isEmpty() ? "the root" : from) + " of volume " + volume + " into "
                + (to.isEmpty() ? "the root" : to), MOVE, args);
    }

    @Override
    public void makeDirWithinVolume(String image, Map<String, String> labels, String volume, String dir) {
        runInVolume(image, labels, volume, "make " + rootName(dir) + " in volume " + volume, MAKE_DIR,
                List.of("/lifeboat/" + volume, dir));
    }

    @Override
    public void swapIntoVolumeRoot(String image, Map<String, String> labels, String volume, String staged, String aside) {
        runInVolume(image, labels, volume, "swap " + rootName(staged) + " into volume " + volume + " (the data it replaces into "
                + rootName(aside) + ")", SWAP, List.of("/lifeboat/" + volume, staged, aside));
    }

    @Override
    public void removeWithinVolume(String image, Map<String, String> labels, String volume, String dir) {
        runInVolume(image, labels, volume, "remove " + rootName(dir) + " from volume " + volume, REMOVE,
                List.of("/lifeboat/" + volume, rootName(dir)));
    }

    /** Prints the bytes free to unprivileged writers on the filesystem of "$1" (statfs: available blocks × block size). */
    private static final String FREE = "set -e; stat -f -c '%a %S' -- \"$1\"";

    @Override
    public long freeBytesInVolume(String image, Map<String, String> labels, String volume) {
        String out = runInVolume(image, labels, volume, "read the free space of volume " + volume, FREE,
                List.of("/lifeboat/" + volume)).trim();
        String[] f = out.split("\\s+");
        try {
            return Math.multiplyExact(Long.parseLong(f[0]), Long.parseLong(f[1]));
        } catch (RuntimeException e) {
            throw new HostException("Host " + host.name() + ": cannot read the free space of volume " + volume + " (stat said '"
                    + out + "')");
        }
    }

    /** One name at a volume's root: never a path, never "." or "..". */
    private static String rootName(String name) {
        if (name == null || name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..") || name.indexOf(0) >= 0) {
            throw new IllegalArgumentException("not a name at a volume's root: " + name);
        }
        return name;
    }

    /**
     * Runs {@code script} with {@code args} as root in a helper that mounts the volume, waits for it to succeed,
     * and returns what it printed (a few lines at most).
     */
    private String runInVolume(String image, Map<String, String> labels, String volume, String what, String script, List<String> args) {
        String root = "/lifeboat/" + volume;
        List<String> argv = new ArrayList<>(List.of("sh", "-c", script, "sh"));
        argv.addAll(args);
        String resident = resident(image, labels, volume);
        if (resident != null) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            ExecResult r = null;
            try {
                r = exec(resident, argv, List.of(), null, out);
            } catch (HostException gone) {
                if (Thread.currentThread().isInterrupted()) {
                    throw gone; // a cancel, not a helper gone: close() removes it with the others
                }
                // stopped under us: a helper of its own does it
                LOG.debug("Helper {} on volume {} is gone ({}); using a new one", resident, volume, gone.getMessage());
                residents.remove(image + "\u0000" + volume, resident);
                removeHelper(resident);
            }
            if (r != null) {
                String said = out.toString(java.nio.charset.StandardCharsets.UTF_8);
                if (!r.ok()) {
                    String why = (r.stderr() + said).trim();
                    throw new HostException("Host " + host.name() + ": cannot " + what + ": " + (why.isEmpty()
                            ? "the helper exited with " + r.exitCode() : why));
                }
                return said;
            }
        }
        Mount mount = new Mount().withType(MountType.VOLUME).withSource(volume).withTarget(root);
        String name = "lifeboat-helper-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        String id = createHelper(name, what, () -> client.createContainerCmd(image)
                .withName(name).withLabels(labels)
                .withEntrypoint(argv.toArray(String[]::new)).withUser("0").withNetworkDisabled(true)
                .withHostConfig(HostConfig.newHostConfig().withNetworkMode("none").withMounts(List.of(mount))).exec().getId());
        try {
            start(id);
            awaitStopped(id, Duration.ofMinutes(10));
            Long code = call("inspect helper", () -> client.inspectContainerCmd(id).exec().getState().getExitCodeLong());
            String said = output(id);
            if (code == null || code != 0) {
                throw new HostException("Host " + host.name() + ": cannot " + what + ": " + (said.isBlank()
                        ? "the helper exited with " + code : said.trim()));
            }
            return said;
        } finally {
            removeHelper(id);
        }
    }

    /**
     * Removes a helper this connection made, also from a thread a cancel or a sibling's failure interrupted (its
     * calls would fail at once and leave the helper holding the volume); a helper already gone is no failure.
     */
    private void removeHelper(String id) {
        dev.lifeboat.core.Cleanup.uninterrupted(() -> {
            try {
                remove(id);
            } catch (RuntimeException e) {
                LOG.warn("Helper container {} on host {} could not be removed; the next run removes it: {}", id, host.name(),
                        e.getMessage());
            }
        });
    }

    /**
     * Helpers kept running on one volume for this connection's life, by image and volume: a restore checks room,
     * makes, swaps and removes in the same volume, and an exec costs a fraction of a container's start. Removed
     * when the connection closes; one left by a killed run carries its run's label, and the next backup sweeps it.
     */
    private final Map<String, String> residents = new java.util.concurrent.ConcurrentHashMap<>();

    /** Removes this connection's resident helpers on {@code volume}. */
    private void dropResidents(String volume) {
        synchronized (residents) {
            var it = residents.entrySet().iterator();
            while (it.hasNext()) {
                var e = it.next();
                if (e.getKey().endsWith("\u0000" + volume)) {
                    remove(e.getValue());
                    it.remove();
                }
            }
        }
    }

    /** The resident helper on {@code volume}, started on first use; null where the image cannot idle (no sleep). */
    private String resident(String image, Map<String, String> labels, String volume) {
        String key = image + "\u0000" + volume;
        synchronized (residents) {
            String id = residents.get(key);
            if (id != null) {
                return id;
            }
            Mount mount = new Mount().withType(MountType.VOLUME).withSource(volume).withTarget("/lifeboat/" + volume);
            try {
                String name = "lifeboat-helper-" + java.util.UUID.randomUUID().toString().substring(0, 8);
                String made = createHelper(name, "create a helper on volume " + volume, () -> client.createContainerCmd(image)
                        .withName(name).withLabels(labels)
                        .withEntrypoint("sleep", "2147483647").withUser("0").withNetworkDisabled(true)
                        .withHostConfig(HostConfig.newHostConfig().withNetworkMode("none").withMounts(List.of(mount))).exec().getId());
                try {
                    start(made);
                } catch (RuntimeException e) {
                    removeHelper(made);
                    throw e;
                }
                residents.put(key, made);
                return made;
            } catch (HostException noSleep) {
                if (Thread.currentThread().isInterrupted()) {
                    throw noSleep; // stopped, not an image that cannot idle
                }
                LOG.debug("No resident helper from {} on volume {}: {}", image, volume, noSleep.getMessage());
                return null;
            }
        }
    }

    /** A stopped helper's output, stdout and stderr together (what its script printed, at most 64 KiB). */
    private String output(String id) {
        StringBuilder text = new StringBuilder();
        try {
            client.logContainerCmd(id).withStdOut(true).withStdErr(true).withFollowStream(false)
                    .exec(new com.github.dockerjava.api.async.ResultCallback.Adapter<com.github.dockerjava.api.model.Frame>() {
                        @Override
                        public void onNext(com.github.dockerjava.api.model.Frame frame) {
                            if (text.length() < 65536) {
                                text.append(new String(frame.getPayload(), java.nio.charset.StandardCharsets.UTF_8));
                            }
                        }
                    }).awaitCompletion(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.debug("No output from helper {}: {}", id, e.getMessage());
        }
        return text.toString();
    }

    @Override
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

    @Override
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

    @Override
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
     * Fails fast when the container stops. "unhealthy" is not final in Docker (the checks go on, and a
     * database still starting or recovering becomes healthy later): it is waited out like "starting",
     * and named, with the healthcheck's last output, if the time runs out.
     *
     * <p>Until Docker says healthy, Lifeboat runs the container's own healthcheck command itself, as Docker would
     * (in the container, as its user, bounded by the check's timeout), at once and then every 250 ms: Docker's first
     * look comes only an interval after the start (often 30 s), which would be downtime waiting on a schedule.
     * Docker's answer stays the other way to healthy (ADR 30).
     */
    @Override
    public void awaitReady(String container, Duration timeout, BooleanSupplier probe) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "not checked";
        OwnHealthcheck own = null;
        try {
            while (System.nanoTime() < deadline) {
                InspectContainerResponse r = call("inspect container " + container,
                        () -> client.inspectContainerCmd(container).exec());
                var state = r.getState();
                if (!Boolean.TRUE.equals(state.getRunning())) {
                    throw new HostException("Host " + host.name() + ": container " + container + " is not running (status "
                            + state.getStatus() + ", exit code " + state.getExitCodeLong() + ")");
                }
                String health = state.getHealth() == null ? null : state.getHealth().getStatus();
                if (health != null && !"healthy".equals(health)) {
                    if (own == null) {
                        own = OwnHealthcheck.of(this, container, r.getConfig() == null ? null : r.getConfig().getHealthcheck());
                    }
                    if (own != null && own.passes()) {
                        health = "healthy"; // the same check Docker runs passed; Docker will say so at its next look
                    }
                }
                if ("unhealthy".equals(health)) {
                    var log = state.getHealth().getLog();
                    String output = log == null || log.isEmpty() || log.get(log.size() - 1).getOutput() == null ? ""
                            : log.get(log.size() - 1).getOutput().strip();
                    last = "unhealthy" + (output.isEmpty() ? "" : ": " + (output.length() > 200 ? output.substring(0, 200) : output));
                } else if (health == null || "healthy".equals(health)) {
                    if (probe.getAsBoolean()) {
                        return;
                    }
                    last = "ready probe failing";
                } else {
                    last = "health " + health;
                }
                sleep(250);
            }
        } finally {
            if (own != null) {
                own.close();
            }
        }
        throw new HostException("Host " + host.name() + ": container " + container + " was not ready within "
                + timeout.toSeconds() + " s (" + last + ")");
    }

    /**
     * A container's healthcheck command run by Lifeboat: {@code CMD} as its arguments, {@code CMD-SHELL} by
     * {@code /bin/sh -c} (Docker's default shell on Linux). One run at a time on a thread of its own, given the
     * check's timeout (Docker's default 30 s); a run still going after it counts as failed and is not started again
     * until it ends. The command may hold a secret ({@code redis-cli -a ...}): it goes to the engine as the exec's
     * arguments, as Docker's own check does, and never into a message or a log.
     */
    private static final class OwnHealthcheck implements AutoCloseable {
        private final DockerGateway docker;
        private final String container;
        private final List<String> cmd;
        private final long timeoutNanos;
        private final java.util.concurrent.ExecutorService thread = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "lifeboat-healthcheck");
            t.setDaemon(true);
            return t;
        });
        private java.util.concurrent.Future<Boolean> running;

        private OwnHealthcheck(DockerGateway docker, String container, List<String> cmd, long timeoutNanos) {
            this.docker = docker;
            this.container = container;
            this.cmd = cmd;
            this.timeoutNanos = timeoutNanos;
        }

        /** The check of {@code hc}, or null where there is none Lifeboat can run ({@code NONE}, an empty test). */
        static OwnHealthcheck of(DockerGateway docker, String container, HealthCheck hc) {
            List<String> test = hc == null ? null : hc.getTest();
            if (test == null || test.size() < 2) {
                return null;
            }
            List<String> cmd = switch (test.get(0)) {
                case "CMD" -> List.copyOf(test.subList(1, test.size()));
                case "CMD-SHELL" -> List.of("/bin/sh", "-c", test.get(1));
                default -> null;
            };
            if (cmd == null || cmd.isEmpty()) {
                return null;
            }
            long timeout = hc.getTimeout() == null || hc.getTimeout() <= 0 ? Duration.ofSeconds(30).toNanos() : hc.getTimeout();
            return new OwnHealthcheck(docker, container, cmd, timeout);
        }

        /** Whether a run of the check passes now (exit 0 within its timeout). */
        boolean passes() {
            if (running != null && !running.isDone()) {
                return false; // the last run outlived its timeout and still runs
            }
            running = thread.submit(() -> docker.exec(container, cmd, List.of(), null, OutputStream.nullOutputStream()).ok());
            try {
                return running.get(timeoutNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException stillRunningOrFailed) {
                return false; // as Docker counts it: a check that cannot run or ends late fails
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HostException("interrupted");
            }
        }

        @Override
        public void close() {
            thread.shutdown(); // a run still going ends with its exec; its thread is a daemon
        }
    }

    /** Waits until the container has exited on its own. */
    @Override
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
            for (String helper : residents.values()) {
                try {
                    remove(helper);
                } catch (RuntimeException e) {
                    LOG.warn("Helper container {} on host {} could not be removed: {}", helper, host.name(), e.getMessage());
                }
            }
            residents.clear();
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
