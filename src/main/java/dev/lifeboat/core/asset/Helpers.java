package dev.lifeboat.core.asset;

/** The helper containers a run creates to read or write volumes: labelled with the run, removed by it or by the next. */
public final class Helpers {
    /** Label on every helper container, valued with the run id that created it. */
    public static final String LABEL = "lifeboat.helper";

    private Helpers() {
    }

    /**
     * The image a helper on a container's data runs from: the one the container runs on, by its recorded id
     * when the host still has it (the tag may have moved since), else by its tag.
     */
    public static String imageOf(dev.lifeboat.core.host.DockerEngine docker, dev.lifeboat.core.model.ContainerSpec c) {
        return c.imageId() != null && docker.imageId(c.imageId()).isPresent() ? c.imageId() : c.image();
    }
}
