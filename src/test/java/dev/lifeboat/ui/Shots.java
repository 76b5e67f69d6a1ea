package dev.lifeboat.ui;

import dev.lifeboat.ui.common.Theme;
import javafx.stage.Stage;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;

/** Screenshots of the console's tests, under target/screenshots (scripts/update-docs.sh copies them into the docs). */
public final class Shots {
    private Shots() {
    }

    /** {@code name.png} of the stage as it is. */
    public static void shot(FxRobot robot, Stage s, String name) throws Exception {
        Path dir = Path.of(System.getProperty("lifeboat.screenshots", "target/screenshots"));
        Files.createDirectories(dir);
        WaitForAsyncUtils.waitForFxEvents();
        javafx.scene.image.WritableImage[] image = new javafx.scene.image.WritableImage[1];
        robot.interact(() -> image[0] = s.getScene().snapshot(null));
        // the scene is opaque: its pixels go straight into an RGB image (no premultiplied-alpha conversion,
        // which cost more CPU than the PNG encoding itself)
        int w = (int) image[0].getWidth();
        int h = (int) image[0].getHeight();
        java.awt.image.BufferedImage rgb = new java.awt.image.BufferedImage(w, h, java.awt.image.BufferedImage.TYPE_INT_RGB);
        int[] pixels = ((java.awt.image.DataBufferInt) rgb.getRaster().getDataBuffer()).getData();
        image[0].getPixelReader().getPixels(0, 0, w, h, javafx.scene.image.PixelFormat.getIntArgbInstance(), pixels, 0, w);
        javax.imageio.ImageIO.write(rgb, "png", dir.resolve(name + ".png").toFile());
    }

    /** {@code name.png} in the light theme and {@code name-dark.png} in the dark one; leaves the light theme on. */
    public static void shotLightAndDark(FxRobot robot, Stage s, String name) throws Exception {
        robot.interact(() -> Theme.apply(false));
        shot(robot, s, name);
        robot.interact(() -> Theme.apply(true));
        shot(robot, s, name + "-dark");
        robot.interact(() -> Theme.apply(false));
    }
}
