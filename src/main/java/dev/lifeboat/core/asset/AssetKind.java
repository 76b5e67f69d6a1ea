package dev.lifeboat.core.asset;

import dev.lifeboat.core.host.DockerEngine;
import dev.lifeboat.core.model.Artifact;
import dev.lifeboat.core.model.Asset;
import dev.lifeboat.core.model.AssetRecord;
import dev.lifeboat.core.model.Check;
import dev.lifeboat.core.model.ContainerSpec;
import dev.lifeboat.core.model.Stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * One kind of data a stack holds (PostgreSQL, Redis, a named volume, config files, ...): everything
 * Lifeboat does with assets of that kind, from finding them to proving a restore of them. Backup,
 * restore, verify, the sandbox checks and {@code --only} dispatch through {@link AssetKinds}; a new kind
 * is one package with one implementation of this interface, registered in the composition root.
 *
 * <p>The manifest names each asset's kind by {@link #id()}, so a point can always be matched to the code
 * that made it. Everything a kind reads from a host or a point is hostile input: names from catalogs
 * and labels are data, never shell words or connection strings.
 */
public interface AssetKind {
    /** The stable id the manifest records ({@code postgres}); lower case letters, digits and dashes. */
    String id();

    /** How {@code --only} names assets of this kind, for help and error messages ({@code volume:NAME}). */
    default String scopeSyntax() {
        return id();
    }

    // ---- discovery and backup

    /** The assets of this kind in a stack; {@code found} holds what kinds registered earlier found. */
    List<Asset> discover(DockerEngine docker, List<ContainerSpec> containers, List<Asset> found);

    /** What stops a backup of {@code asset} before anything is written, in words an admin can act on. */
    default List<String> preflight(DockerEngine docker, Asset asset, Stack stack) {
        return List.of();
    }

    /**
     * Whether backups of this kind run one after another in their own lane beside the others (they stop
     * containers, so two at once could stop what the other needs).
     */
    default boolean serial() {
        return false;
    }

    /** Backs up one asset into the point's artifacts and records what was measured. */
    AssetRecord backup(BackupContext ctx, Asset asset) throws IOException;

    /**
     * What a safety backup must also hold, when discovery on the live stack did not find it, because
     * restoring {@code replaced} will overwrite it (config files of a stack whose containers are gone).
     */
    default Optional<Asset> safetyAsset(DockerEngine docker, AssetRecord replaced, List<Asset> found) throws IOException {
        return Optional.empty();
    }

    // ---- scope

    /** Whether the {@code --only} entry {@code only} selects the asset; by default its kind or its name. */
    default boolean selects(String only, AssetRecord asset) {
        return only.equals(id()) || only.equals(asset.name());
    }

    /** Whether {@code only} names something the asset really holds (a database, a table), for refusing typos. */
    default boolean matches(String only, AssetRecord asset) {
        return selects(only, asset);
    }

    /** What the asset offers to {@code --only}, as an admin would type it. */
    default List<String> offers(AssetRecord asset) {
        return List.of(asset.name());
    }

    // ---- restore

    /** The restore phase this kind's assets are restored in, as the run history names it. */
    String phase();

    /**
     * When the phase runs: lower first. Config comes before anything creates a container (a bind mount
     * of a missing file makes Docker create a directory), then volumes, then the servers.
     */
    int order();

    /**
     * Whether each asset is a server in its own container ({@link AssetRecord#container()}) that a full
     * restore keeps, restores into and starts before the apps, instead of removing and recreating it.
     */
    default boolean server() {
        return false;
    }

    /** How to tell a container of this kind is ready to serve, or empty when it is not one of this kind. */
    default Optional<BooleanSupplier> readiness(DockerEngine docker, ContainerSpec container) {
        return Optional.empty();
    }

    /** What a restore of the asset would overwrite or create, for the plan shown before the phrase. */
    void plan(PlanContext ctx, AssetRecord asset, List<String> overwrite, List<String> create);

    /**
     * Restores the assets of this kind that are in scope and were not staged by {@link #stage}; returns the
     * phase's one-line summary, or null.
     */
    String restore(RestoreContext ctx, List<AssetRecord> assets) throws IOException;

    /**
     * The target's containers (their names there) that restoring {@code assets} in place by {@link #restore} creates,
     * stops, starts or runs commands in, or whose mounts it writes. Kinds whose restores share no container run side
     * by side, as one phase (ADR 31); a kind that shares one runs after them. Null, the default, when the kind cannot
     * say: its phase then runs alone, after every phase before it and before every phase after it.
     */
    default java.util.Set<String> restoreUses(RestoreContext ctx, List<AssetRecord> assets) {
        return null;
    }

    /**
     * Restores {@code asset} beside its live data while the stack still runs, when this kind can and the
     * target holds live data to replace (ADR 25): the point's data is streamed, and checked as it streams,
     * into storage next to the live data, which is not touched. Empty when the asset is restored in place
     * by {@link #restore} instead (nothing to replace, or the kind cannot stage). A failure leaves nothing
     * staged behind.
     */
    default Optional<Staged> stage(RestoreContext ctx, AssetRecord asset) throws IOException {
        return Optional.empty();
    }

    /** Whether {@link #stage} would restore {@code asset} beside its live data, for the plan shown before the phrase. */
    default boolean stagesBeside(PlanContext ctx, AssetRecord asset) {
        return false;
    }

    /** Removes a safety copy this kind kept ({@link Staged#kept()}), when its retention ended or the admin released it. */
    default void release(DockerEngine docker, SafetyCopy copy) {
        throw new UnsupportedOperationException(id() + " keeps no safety copies");
    }

    // ---- proof

    /**
     * Checks what is inside one of the asset's artifacts while it streams past (the pipeline checks its
     * hashes and authentication): returns a short detail, throws {@link dev.lifeboat.core.IntegrityException}
     * when the content is wrong. Must read {@code plain} to the end.
     */
    default String verify(VerifyContext ctx, AssetRecord asset, Artifact artifact, InputStream plain) throws IOException {
        plain.transferTo(OutputStream.nullOutputStream());
        return "readable";
    }

    /** The content checks of a restored asset (in a sandbox, or in place for a restore test). */
    List<Check> check(CheckContext ctx, AssetRecord asset) throws IOException;

    /**
     * What restoring {@code asset} over the live stack would change, read from the live stack without changing
     * anything (for the restore wizard's preview and {@code restore --preview}); empty where the kind has no
     * way to tell.
     */
    default java.util.Optional<PreviewSection> preview(CheckContext ctx, AssetRecord asset) throws IOException {
        return java.util.Optional.empty();
    }

    /**
     * The checks after an in-place restore: structure, not figures the running app may already have moved.
     * None by default.
     */
    default List<Check> checkAfterRestore(CheckContext ctx, AssetRecord asset) {
        return List.of();
    }
}
