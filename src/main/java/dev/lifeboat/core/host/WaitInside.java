package dev.lifeboat.core.host;

import dev.lifeboat.core.HostException;

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
        ExecResult r;
        try {
            r = docker.exec(container, script, env, null, OutputStream.nullOutputStream());
        } catch (HostException noShell) {
            return once.getAsBoolean();
        }
        return r.ok() || (r.exitCode() == 126 || r.exitCode() == 127) && once.getAsBoolean();
    }
}
