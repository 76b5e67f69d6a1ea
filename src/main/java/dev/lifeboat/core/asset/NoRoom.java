package dev.lifeboat.core.asset;

import dev.lifeboat.core.Units;

/** What a restore says when the host has no room for a copy beside the live data (ADR 25), and the way out. */
public final class NoRoom {
    private NoRoom() {
    }

    /** {@code what} ("volume shop_uploads") has {@code free} bytes free where about {@code need} must fit. */
    public static String message(String what, long free, long need, String pointId) {
        return "Not enough room to restore " + what + " beside the live data: " + Units.bytes(free) + " free where about "
                + Units.bytes(need) + " must fit next to it. Free space there, or restore in place: lifeboat restore "
                + pointId + " --in-place (a safety backup goes to the destination first, then the data is replaced)";
    }
}
