package dev.lifeboat.core;

import dev.lifeboat.core.discovery.StackDiscovery;
import dev.lifeboat.core.history.HistoryStore;
import dev.lifeboat.core.host.InMemoryEngine;
import dev.lifeboat.core.model.ContainerSpec;
import dev.lifeboat.core.model.MountSpec;
import dev.lifeboat.core.pipeline.RepositoryKey;
import dev.lifeboat.core.secrets.MasterPassword;
import dev.lifeboat.core.secrets.SecretStore;
import dev.lifeboat.core.storage.Repositories;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * For tests of the use cases on an in-memory engine: a compose stack "shop" of app containers on host "mem", and a
 * home under a temporary directory whose history knows the host and whose disk destination "disk" has its key.
 */
public final class MemoryHome implements AutoCloseable {
    public final InMemoryEngine engine;
    public final Path config;
    public final HistoryStore history;
    public final Repositories repositories;

    private MemoryHome(InMemoryEngine engine, Path config, HistoryStore history, Repositories repositories) {
        this.engine = engine;
        this.config = config;
        this.history = history;
        this.repositories = repositories;
    }

    /** A home under {@code tmp} with an engine whose stack "shop" (its compose file under {@code tmp}) has no containers yet. */
    public static MemoryHome under(Path tmp) throws IOException {
        InMemoryEngine engine = new InMemoryEngine("mem").image("shop/app:1", "sha256:app1");
        Path config = Files.createDirectories(tmp.resolve("stacks/shop"));
        Files.writeString(config.resolve("compose.yaml"), "services: {app: {image: shop/app:1}}\n");
        Path home = tmp.resolve("home");
        HistoryStore history = HistoryStore.open(home);
        history.hosts().add(engine.host());
        Repositories repositories = new Repositories(history, new SecretStore(home, MasterPassword.standard(null)), "tester");
        Path key = tmp.resolve("repo.key");
        RepositoryKey.generate(key);
        repositories.register(new Repositories.Registration("disk", "local", tmp.resolve("backups").toString(), key.toString()),
                "tester", null);
        return new MemoryHome(engine, config, history, repositories);
    }

    /** Runs container {@code name} of the stack from shop/app:1, with {@code labels} besides the project's, and {@code mounts}. */
    public MemoryHome app(String name, Map<String, String> labels, MountSpec... mounts) {
        Map<String, String> all = new java.util.HashMap<>(labels);
        all.put(StackDiscovery.PROJECT, "shop");
        all.put(StackDiscovery.WORKING_DIR, config.toString());
        engine.run(new ContainerSpec(name, "shop/app:1", "sha256:app1", List.of("serve"), List.of(), List.of(), Map.copyOf(all),
                null, null, null, "no", List.of(mounts), null, true));
        return this;
    }

    @Override
    public void close() {
        history.close();
    }
}
