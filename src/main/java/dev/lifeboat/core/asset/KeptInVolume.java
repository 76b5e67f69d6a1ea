package dev.lifeboat.core.asset;

import dev.lifeboat.core.HostException;
import dev.lifeboat.core.host.DockerEngine;
import dev.lifeboat.core.model.ContainerSpec;

import java.io.InputStream;
import java.util.Map;

/**
 * Data staged, and safety copies kept, as directories at a volume's root ({@code .lifeboat-new-RUN},
 * {@code .lifeboat-replaced-RUN}), whatever kind put them there (ADR 25).
 */
public final class KeptInVolume {
    private KeptInVolume() {
    }

    /** Opens what goes into the staged directory. */
    @FunctionalInterface
    public interface Source {
        InputStream open() throws java.io.IOException;
    }

    /**
     * Writes {@code artifact} (read to its end, where its hashes are checked), as the tar {@code asTar} makes of
     * it, into the directory {@code staged} at the root of {@code volume} through a helper from {@code image}.
     * On a failure the helper goes and {@code discard} removes what was staged; the failure is thrown.
     */
    public static void write(DockerEngine docker, String image, Map<String, String> labels, String volume, String staged,
                             Source artifact, java.util.function.UnaryOperator<InputStream> asTar, Runnable discard)
            throws java.io.IOException {
        String helper = docker.createHelper(image, "lifeboat-helper-" + java.util.UUID.randomUUID().toString().substring(0, 8),
                labels, java.util.List.of(volume), false);
        try (InputStream plain = artifact.open()) {
            Drained fed = new Drained(plain);
            docker.writeArchive(helper, "/lifeboat/" + volume + "/" + staged, asTar.apply(fed));
            fed.drain(); // to its end: the hashes are checked there
        } catch (java.io.IOException | RuntimeException e) {
            docker.remove(helper);
            try {
                discard.run();
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        docker.remove(helper);
    }

    /** Removes the copy's directory from its volume; a volume that is gone took its copy with it. */
    public static void release(DockerEngine docker, SafetyCopy copy) {
        if (!copy.item().startsWith(".lifeboat-replaced-") || copy.item().contains("/")) {
            throw new HostException("Refusing to remove " + copy.item() + " from volume " + copy.location()
                    + ": not a directory Lifeboat set aside");
        }
        if (docker.volume(copy.location()).isEmpty()) {
            return;
        }
        String image = copy.image();
        if (image == null || docker.imageId(image).isEmpty()) {
            image = docker.containersUsingVolume(copy.location()).stream().map(ContainerSpec::image)
                    .filter(i -> docker.imageId(i).isPresent()).findFirst()
                    .orElseThrow(() -> new HostException("Host " + docker.host().name() + ": no image left to run a helper on"
                            + " volume " + copy.location() + "; remove " + copy.item() + " from it by hand"));
        }
        docker.removeWithinVolume(image, Map.of(Helpers.LABEL, "release"), copy.location(), copy.item());
    }
}
