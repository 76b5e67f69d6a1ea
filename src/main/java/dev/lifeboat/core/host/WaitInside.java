package dev.lifeboat.core.host;

import java.io.OutputStream;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * A wait that loops inside a container (one exec, a shell script that exits 0 once its condition holds), where
 * looking from outside took one exec per look. A container without a shell gets one look, {@code once}.
 */
final class WaitInside {
    private WaitInside() {
    }

    static boolean run(DockerEngine docker, String container, List<String> script, List<String> env, BooleanSupplier once) {
        return InShell.exec(docker, container, script, env, OutputStream.nullOutputStream()).map(ExecResult::ok)
                .orElseGet(once::getAsBoolean);
    }
}
