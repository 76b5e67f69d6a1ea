package dev.lifeboat.core.restore;

import dev.lifeboat.core.asset.AssetKind;
import dev.lifeboat.core.asset.BackupContext;
import dev.lifeboat.core.asset.CheckContext;
import dev.lifeboat.core.asset.PlanContext;
import dev.lifeboat.core.asset.RestoreContext;
import dev.lifeboat.core.host.DockerEngine;
import dev.lifeboat.core.model.Asset;
import dev.lifeboat.core.model.AssetRecord;
import dev.lifeboat.core.model.Check;
import dev.lifeboat.core.model.ContainerSpec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A test kind whose in-place restore first passes a gate the test sets (for example a barrier shared with another
 * kind, passed only when both restore at the same time). An asset per container labelled {@code lifeboat.<id>};
 * which containers its restore uses is what the test says.
 */
final class GatedKind implements AssetKind {
    private final String id;
    private final int order;
    private final Gate gate;
    private final Function<RestoreContext, Set<String>> uses;

    /** What a restore does first; a failure fails the restore. */
    interface Gate {
        void pass(String kind) throws Exception;
    }

    private Gate stageGate;

    GatedKind(String id, int order, Gate gate, Function<RestoreContext, Set<String>> uses) {
        this.id = id;
        this.order = order;
        this.gate = gate;
        this.uses = uses;
    }

    /** This kind also restores beside the live data, and that first passes {@code gate}; it then stages nothing. */
    GatedKind stagingFirstPasses(Gate gate) {
        this.stageGate = gate;
        return this;
    }

    @Override
    public java.util.Optional<dev.lifeboat.core.asset.Staged> stage(RestoreContext ctx, AssetRecord asset) throws IOException {
        if (stageGate != null) {
            try {
                stageGate.pass(id);
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException(id + " did not pass its staging gate: " + e, e);
            }
        }
        return java.util.Optional.empty();
    }

    record Gated(String kind, String container) implements Asset {
        @Override
        public String name() {
            return kind + ":" + container;
        }

        @Override
        public String describe() {
            return kind + " of " + container;
        }
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public List<Asset> discover(DockerEngine docker, List<ContainerSpec> containers, List<Asset> found) {
        List<Asset> out = new ArrayList<>();
        for (ContainerSpec c : containers) {
            if (c.label("lifeboat." + id) != null) {
                out.add(new Gated(id, c.name()));
            }
        }
        return out;
    }

    @Override
    public AssetRecord backup(BackupContext ctx, Asset asset) throws IOException {
        Gated g = (Gated) asset;
        var a = ctx.out().write(id + "-" + g.container() + ".txt", id, null, plain -> plain.write(g.name().getBytes(StandardCharsets.UTF_8)));
        return new AssetRecord(id, g.name(), g.container(), 0, List.of(a), null, null, 1L, Map.of());
    }

    @Override
    public String phase() {
        return id + "s";
    }

    @Override
    public int order() {
        return order;
    }

    @Override
    public void plan(PlanContext ctx, AssetRecord asset, List<String> overwrite, List<String> create) {
        overwrite.add(asset.name());
    }

    @Override
    public Set<String> restoreUses(RestoreContext ctx, List<AssetRecord> assets) {
        return uses.apply(ctx);
    }

    @Override
    public String restore(RestoreContext ctx, List<AssetRecord> assets) throws IOException {
        try {
            gate.pass(id);
        } catch (Exception e) {
            throw new IOException(id + " did not pass its gate: " + e, e);
        }
        for (AssetRecord a : assets) {
            try (var in = ctx.open(a.artifacts().get(0))) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
            }
        }
        return assets.stream().map(AssetRecord::name).collect(Collectors.joining(", ")) + " restored";
    }

    @Override
    public List<Check> check(CheckContext ctx, AssetRecord asset) {
        return List.of(Check.pass(asset.name(), "restored"));
    }
}
