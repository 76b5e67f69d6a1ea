package dev.lifeboat.core.restore;

import dev.lifeboat.core.ConfirmationRequiredException;
import dev.lifeboat.core.model.Host;

/**
 * Production hosts need the exact typed phrase before anything is overwritten. Enforced here in core,
 * so the CLI, the console and any script go through the same gate.
 */
public final class ConfirmationPolicy {
    public static final String PRODUCTION_PHRASE = "RESTORE PRODUCTION";

    private ConfirmationPolicy() {
    }

    public static boolean accepts(Host target, String typed) {
        return !target.production() || PRODUCTION_PHRASE.equals(typed);
    }

    public static void require(Host target, String typed) {
        if (!accepts(target, typed)) {
            throw new ConfirmationRequiredException("Host " + target.name() + " is marked production: restore refused. "
                    + "Type the exact phrase '" + PRODUCTION_PHRASE + "' to confirm (CLI: --confirm '"
                    + PRODUCTION_PHRASE + "')" + (typed == null || typed.isEmpty() ? "" : "; the text given does not match"));
        }
    }
}
