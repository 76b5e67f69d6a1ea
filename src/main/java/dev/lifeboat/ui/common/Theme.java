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
        String sheet = dark ? new PrimerDark().getUserAgentStylesheet() : new PrimerLight().getUserAgentStylesheet();
        if (!sheet.equals(Application.getUserAgentStylesheet())) { // setting it restyles every window, even when unchanged
            Application.setUserAgentStylesheet(sheet);
        }
        DARK.set(dark);
    }

    public static void toggle() {
        apply(!DARK.get());
    }

    public static ReadOnlyBooleanProperty darkProperty() {
        return DARK.getReadOnlyProperty();
    }

    /**
     * Puts Lifeboat's styles on the scene {@code root} is shown in (now or later), not on the root
     * itself: the scene's stylesheets are what its popups (notices, menus, tooltips) take over, and
     * ControlsFX's notices need them to resolve their colours.
     */
    public static void styleSceneOf(javafx.scene.Parent root) {
        java.util.function.Consumer<javafx.scene.Scene> add = s -> {
            if (s != null && !s.getStylesheets().contains(stylesheet())) {
                s.getStylesheets().add(stylesheet());
            }
        };
        add.accept(root.getScene());
        root.sceneProperty().addListener((o, was, now) -> add.accept(now));
    }

    /** Lifeboat's own styles, on top of the theme (health dots, timeline shapes). */
    public static String stylesheet() {
        return Theme.class.getResource("/dev/lifeboat/ui/lifeboat.css").toExternalForm();
    }
}
