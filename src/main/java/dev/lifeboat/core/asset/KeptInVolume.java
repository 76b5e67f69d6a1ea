package dev.lifeboat.core.asset;

import dev.lifeboat.core.HostException;
import dev.lifeboat.core.host.DockerEngine;
import dev.lifeboat.core.model.ContainerSpec;

import java.util.Map;

/** Safety copies kept as a directory at a volume's root ({@code .lifeboat-replaced-RUN}), whatever kind set them aside. */
public final class KeptInVolume {
    private KeptInVolume() {
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
