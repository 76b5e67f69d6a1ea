package dev.lifeboat.core.history;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The history contract on the embedded H2 database, one home per history name. */
class HistoryStoreTest extends HistoryContract {
    @TempDir
    Path homes;

    @Override
    protected HistoryStore open(String name) {
        return HistoryStore.open(homes.resolve(name), clock);
    }
}
