package dev.lifeboat.core.storage;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.lifeboat.core.IntegrityException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What retention removed of one stack at one destination: each pruned point's id and manifest SHA-256,
 * signed under the repository key (bound to host and stack), so that the stack's chain of manifests
 * stays checkable after pruning: a point Lifeboat pruned is accounted for, a point deleted by hand is
 * not. Someone without the key can delete or roll back the log, which only makes holes visible.
 */
public final class DeletionLog {
    /** One pruned point. */
    public record Entry(String pointId, String manifestSha256, Instant deletedAt) {
    }

    private static final String HEADER = "lifeboat-deletions 1 ";

    private DeletionLog() {
    }

    static String file(String host, String stack) {
        return "deletions+" + host + "+" + stack + ".log";
    }

    private static byte[] signed(String host, String stack, byte[] json) {
        byte[] prefix = ("lifeboat deletions\n" + host + "\n" + stack + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[prefix.length + json.length];
        System.arraycopy(prefix, 0, all, 0, prefix.length);
        System.arraycopy(json, 0, all, prefix.length, json.length);
        return all;
    }

    /** The log's entries; empty when there is none. A log whose signature does not hold is an integrity failure. */
    public static List<Entry> read(Repository repo, String host, String stack) throws IOException {
        var raw = repo.destination().readRoot(file(host, stack));
        if (raw.isEmpty()) {
            return List.of();
        }
        String text = new String(raw.get(), StandardCharsets.UTF_8);
        int nl = text.indexOf('\n');
        if (!text.startsWith(HEADER) || nl < 0) {
            throw new IntegrityException("The deletion log of " + host + "/" + stack + " on " + repo.destination().name()
                    + " is not one Lifeboat wrote");
        }
        String mac = text.substring(HEADER.length(), nl).trim();
        byte[] json = text.substring(nl + 1).getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(mac.getBytes(StandardCharsets.US_ASCII),
                repo.sign(signed(host, stack, json)).getBytes(StandardCharsets.US_ASCII))) {
            throw new IntegrityException("The deletion log of " + host + "/" + stack + " on " + repo.destination().name()
                    + " was changed by someone without the key");
        }
        return ManifestCodec.mapper().readValue(json, new TypeReference<List<Entry>>() { });
    }

    /** Adds entries (before the points are deleted: a crash in between leaves a logged point, never an unlogged gap). */
    public static void append(Repository repo, String host, String stack, List<Entry> more) throws IOException {
        if (more.isEmpty()) {
            return;
        }
        List<Entry> all = new ArrayList<>(read(repo, host, stack));
        all.addAll(more);
        byte[] json = ManifestCodec.mapper().writeValueAsBytes(all);
        String head = HEADER + repo.sign(signed(host, stack, json)) + "\n";
        byte[] out = new byte[head.length() + json.length];
        System.arraycopy(head.getBytes(StandardCharsets.US_ASCII), 0, out, 0, head.length());
        System.arraycopy(json, 0, out, head.length(), json.length);
        repo.requireRemovable("record deletions");
        repo.destination().writeRoot(file(host, stack), out);
    }
}
