package dev.lifeboat.ui.common;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import javafx.application.Application;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;

/** The console's look: AtlantaFX Primer, light or dark, switchable at run time. */
public final class Theme {
    private static final ReadOnlyBooleanWrapper DARK = new ReadOnlyBooleanWrapper(false);

    private Theme() {
    }

    public static void apply(boolean dark) {
        Application.setUserAgentStylesheet(dark ? new PrimerDark().getUserAgentStylesheet()
                : new PrimerLight().getUserAgentStylesheet());
        DARK.set(dark);
    }

    public static void toggle() {
        apply(!DARK.get());
    }

    public static ReadOnlyBooleanProperty darkProperty() {
        return DARK.getReadOnlyProperty();
    }

    /** Lifeboat's own styles, on top of the theme (health dots, timeline shapes). */
    public static String stylesheet() {
        return Theme.class.getResource("/dev/lifeboat/ui/lifeboat.css").toExternalForm();
    }
}
