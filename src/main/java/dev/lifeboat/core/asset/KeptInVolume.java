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

    /** Room left over on a filesystem after a copy is restored beside the live data. */
    private static final long ROOM_MARGIN = 64L << 20;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(KeptInVolume.class);

    /**
     * Stages {@code artifact} into the new directory {@code staged} at the root of {@code volume} (see {@link #write}),
     * after checking that the volume's filesystem holds {@code need} bytes with 64 MiB to spare: too little room
     * refuses, naming {@code what}, before anything is made. False, with nothing made, when no helper can run
     * there ({@code image} has no shell): the caller then restores in place.
     */
    public static boolean stage(DockerEngine docker, String image, Map<String, String> labels, String volume, String staged,
                                long need, String what, String pointId, Source artifact,
                                java.util.function.UnaryOperator<InputStream> asTar, Runnable discard) throws java.io.IOException {
        try {
            long free = docker.freeBytesInVolume(image, labels, volume);
            if (free < need + ROOM_MARGIN) {
                throw new dev.lifeboat.core.LifeboatException(NoRoom.message(what, free, need, pointId));
            }
            docker.makeDirWithinVolume(image, labels, volume, staged);
        } catch (HostException noShell) {
            if (Thread.currentThread().isInterrupted()) {
                // stopped (a cancel, another asset's failure), not a helper without a shell: the directory may be made
                dev.lifeboat.core.Cleanup.after(noShell, discard::run);
                throw noShell;
            }
            LOG.warn("{} is restored in place: cannot stage beside it ({})", what, noShell.getMessage());
            return false;
        }
        write(docker, image, labels, volume, staged, artifact, asTar, discard);
        return true;
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
            dev.lifeboat.core.Cleanup.after(e, () -> docker.remove(helper), discard::run);
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
