package dev.lifeboat.it.notekind;

import dev.lifeboat.core.IntegrityException;
import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.asset.AssetKind;
import dev.lifeboat.core.asset.BackupContext;
import dev.lifeboat.core.asset.CheckContext;
import dev.lifeboat.core.asset.PlanContext;
import dev.lifeboat.core.asset.RestoreContext;
import dev.lifeboat.core.asset.VerifyContext;
import dev.lifeboat.core.host.DockerEngine;
import dev.lifeboat.core.model.Artifact;
import dev.lifeboat.core.model.Asset;
import dev.lifeboat.core.model.AssetRecord;
import dev.lifeboat.core.model.Check;
import dev.lifeboat.core.model.ContainerSpec;
import dev.lifeboat.core.model.Stack;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A toy asset kind that lives only here, to prove the registry: a text note inside a container, named
 * by the container's label {@code lifeboat.note=/absolute/path}. It backs up, verifies, restores and
 * checks through {@link AssetKind} alone; nothing outside this package knows it exists.
 */
public final class NoteKind implements AssetKind {
    public static final String ID = "note";
    public static final String LABEL = "lifeboat.note";
    static final String ROLE = "note-text";
    private static final int MAX_BYTES = 1 << 20;

    /** The asset: one note file in one container. */
    public record NoteFile(String container, String path) implements Asset {
        @Override
        public String kind() {
            return ID;
        }

        @Override
        public String name() {
            return ID + ":" + container;
        }

        @Override
        public String describe() {
            return path + " in " + container;
        }
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String scopeSyntax() {
        return "note:CONTAINER";
    }

    @Override
    public List<Asset> discover(DockerEngine docker, List<ContainerSpec> containers, List<Asset> found) {
        List<Asset> out = new ArrayList<>();
        for (ContainerSpec c : containers) {
            String path = c.label(LABEL);
            if (path != null && path.startsWith("/") && Path.of(path).normalize().toString().equals(path)) {
                out.add(new NoteFile(c.name(), path));
            }
        }
        return out;
    }

    @Override
    public List<String> preflight(DockerEngine docker, Asset asset, Stack stack) {
        NoteFile n = (NoteFile) asset;
        boolean running = stack.containers().stream().anyMatch(c -> c.name().equals(n.container()) && c.running());
        return running ? List.of() : List.of("container " + n.container() + " of note " + n.path() + " is not running");
    }

    @Override
    public AssetRecord backup(BackupContext ctx, Asset asset) throws IOException {
        NoteFile n = (NoteFile) asset;
        long start = System.nanoTime();
        ctx.progress().phase(n.name(), "Copying note " + n.path());
        byte[] text = read(ctx.docker(), n.container(), n.path());
        Artifact a = ctx.out().write("note-" + n.container() + ".txt", ROLE, null, plain -> plain.write(text));
        return new AssetRecord(ID, n.name(), n.container(), (System.nanoTime() - start) / 1_000_000, List.of(a), null, null,
                1L, Map.of("path", n.path()));
    }

    private static byte[] read(DockerEngine docker, String container, String path) throws IOException {
        try (TarArchiveInputStream tar = new TarArchiveInputStream(docker.readArchive(container, path))) {
            TarArchiveEntry e = tar.getNextEntry();
            if (e == null || !e.isFile() || e.getSize() > MAX_BYTES) {
                throw new LifeboatException("note " + path + " in " + container + " is not a file of at most 1 MiB");
            }
            return tar.readNBytes((int) e.getSize());
        }
    }

    @Override
    public String phase() {
        return "notes";
    }

    @Override
    public int order() {
        return 25;
    }

    @Override
    public void plan(PlanContext ctx, AssetRecord a, List<String> overwrite, List<String> create) {
        overwrite.add("note " + a.details().get("path") + " in " + a.container());
    }

    @Override
    public String restore(RestoreContext ctx, List<AssetRecord> assets) throws IOException {
        for (AssetRecord a : assets) {
            ContainerSpec spec = ctx.spec(a.container());
            ctx.ensureCreated(spec);
            byte[] text;
            try (InputStream in = ctx.open(a.artifacts().get(0))) {
                text = in.readNBytes(MAX_BYTES + 1);
            }
            Path path = Path.of(a.details().get("path"));
            ctx.docker().writeArchive(spec.name(), path.getParent().toString(),
                    new ByteArrayInputStream(tar(path.getFileName().toString(), text)));
            ctx.touched(spec.name());
        }
        return assets.size() + " notes written";
    }

    private static byte[] tar(String name, byte[] content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            TarArchiveEntry e = new TarArchiveEntry(name);
            e.setSize(content.length);
            e.setMode(0644);
            tar.putArchiveEntry(e);
            tar.write(content);
            tar.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }

    @Override
    public String verify(VerifyContext ctx, AssetRecord asset, Artifact artifact, InputStream plain) throws IOException {
        byte[] text = plain.readAllBytes();
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(text));
        } catch (CharacterCodingException e) {
            throw new IntegrityException(artifact.file() + ": the note is not UTF-8 text");
        }
        return "note of " + text.length + " bytes, UTF-8 text";
    }

    @Override
    public List<Check> check(CheckContext ctx, AssetRecord a) throws IOException {
        byte[] now = read(ctx.docker(), ctx.spec(a.container()).name(), a.details().get("path"));
        String sha = sha256(now);
        return List.of(sha.equals(a.artifacts().get(0).plainSha256())
                ? Check.pass(a.name() + ": text", now.length + " bytes, as backed up")
                : Check.fail(a.name() + ": text", "the note differs from the backup (SHA-256 " + sha.substring(0, 12) + ")"));
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
