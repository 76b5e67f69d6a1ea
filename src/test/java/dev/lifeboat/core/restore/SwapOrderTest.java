package dev.lifeboat.core.restore;

import dev.lifeboat.core.asset.SafetyCopy;
import dev.lifeboat.core.asset.Staged;
import dev.lifeboat.core.model.AssetRecord;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which swaps of a restore run side by side in the downtime, and which wait. */
class SwapOrderTest {
    private record Swap(String name, Set<String> containers) implements Staged {
        @Override
        public AssetRecord asset() {
            return null;
        }

        @Override
        public String describe() {
            return name;
        }

        @Override
        public void swap() {
        }

        @Override
        public void swapBack() {
        }

        @Override
        public void discard() {
        }

        @Override
        public List<SafetyCopy> kept() {
            return List.of();
        }
    }

    private static List<String> names(List<Staged> s) {
        return s.stream().map(Staged::describe).toList();
    }

    @Test
    void swapsThatShareNoContainerRunTogether() {
        RestoreRun.SwapOrder o = RestoreRun.SwapOrder.of(List.of(new Swap("config", Set.of()), new Swap("volume", Set.of("app")),
                new Swap("databases", Set.of("db")), new Swap("redis", Set.of("cache"))));
        assertEquals(List.of("config", "volume", "databases", "redis"), names(o.together()));
        assertEquals(List.of(), names(o.after()));
    }

    @Test
    void aSwapSharingAContainerWithAnEarlierOneWaitsAndSoDoesEveryLaterOneSharingItsContainers() {
        // the volume is mounted by the database's container, which the volume's swap stops: the databases' renames
        // must not run meanwhile; the redis swap shares nothing and still runs with the first
        RestoreRun.SwapOrder o = RestoreRun.SwapOrder.of(List.of(new Swap("volume", Set.of("db", "app")),
                new Swap("databases", Set.of("db")), new Swap("redis", Set.of("cache")), new Swap("app files", Set.of("db2", "cache2")),
                new Swap("second volume", Set.of("db2"))));
        assertEquals(List.of("volume", "redis", "app files"), names(o.together()));
        assertEquals(List.of("databases", "second volume"), names(o.after()));

        // a later swap that shares a container with one that waits waits too, after it
        o = RestoreRun.SwapOrder.of(List.of(new Swap("a", Set.of("x")), new Swap("b", Set.of("x", "y")), new Swap("c", Set.of("y"))));
        assertEquals(List.of(), names(o.together()));
        assertEquals(List.of("a", "b", "c"), names(o.after()));
    }

    @Test
    void aSwapThatCannotSayItsContainersRunsAloneAfterTheOthersAndSoDoesEverySwapAfterIt() {
        RestoreRun.SwapOrder o = RestoreRun.SwapOrder.of(List.of(new Swap("config", Set.of()), new Swap("toy", null),
                new Swap("databases", Set.of("db")), new Swap("redis", Set.of("cache"))));
        assertEquals(List.of(), names(o.together()), "a lone swap is not run on a thread of its own");
        assertEquals(List.of("config", "toy", "databases", "redis"), names(o.after()));
    }
}
