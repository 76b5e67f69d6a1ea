package dev.lifeboat.core.asset;

/** The helper containers a run creates to read or write volumes: labelled with the run, removed by it or by the next. */
public final class Helpers {
    /** Label on every helper container, valued with the run id that created it. */
    public static final String LABEL = "lifeboat.helper";

    private Helpers() {
    }
}
