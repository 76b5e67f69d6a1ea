package dev.lifeboat.core.asset;

import dev.lifeboat.core.model.AssetRecord;

import java.util.List;

/**
 * One asset restored beside its live data while the stack runs (ADR 25): nothing the stack uses has been
 * touched yet. {@link #swap()} puts it in place during the short downtime, and the data it replaces is kept
 * aside on the host as the restore's safety copy; {@link #swapBack()} undoes that. Created by
 * {@link AssetKind#stage}.
 */
public interface Staged {
    /** The asset staged. */
    AssetRecord asset();

    /** Where it is staged, for the run's log ("volume shop_uploads, .lifeboat-new-1a2b3c4d"). */
    String describe();

    /** During the downtime: the staged data replaces the live data, which is set aside. */
    void swap();

    /**
     * The containers {@link #swap()} stops, starts or runs commands in, asked just before the swaps. Swaps that
     * share no container run side by side in the downtime; {@code null}, the default, means unknown, and such a
     * swap runs after the others, alone.
     */
    default java.util.Set<String> containers() {
        return null;
    }

    /** After {@link #swap()}: the data set aside comes back, and what was swapped in goes. */
    void swapBack();

    /** Before (or instead of) a swap: removes what was staged. The live data was never touched. */
    void discard();

    /** After {@link #swap()}: what was set aside, kept on the host as the restore's safety copies; empty if nothing was replaced. */
    List<SafetyCopy> kept();
}
