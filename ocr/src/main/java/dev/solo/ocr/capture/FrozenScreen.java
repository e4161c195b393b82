package dev.solo.ocr.capture;

import java.awt.AWTException;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.GraphicsDevice;
import java.awt.GraphicsEnvironment;
import java.awt.Image;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.Robot;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Area;
import java.awt.image.BufferedImage;
import java.awt.image.MultiResolutionImage;
import java.util.List;

/**
 * A still picture of every monitor, taken before the overlay opens, so the user selects from what
 * was on screen when they pressed the hotkey.
 *
 * <p>Coordinates: {@link #bounds()} is the union of all screens in the virtual desktop's logical
 * coordinates (a monitor left of the primary has negative x). The picture is kept at the largest
 * device scale of any screen ({@link #scale()}), so a crop on a HiDPI monitor keeps every device
 * pixel for the OCR engine.
 */
public final class FrozenScreen {
    private final Rectangle bounds;
    private final double scale;
    private final BufferedImage image;

    private FrozenScreen(Rectangle bounds, double scale, BufferedImage image) {
        this.bounds = bounds;
        this.scale = scale;
        this.image = image;
    }

    /**
     * Captures all screens now.
     *
     * @throws IllegalStateException in a headless JVM or when the desktop refuses capture (Wayland
     *     without an X server, for one)
     */
    public static FrozenScreen capture() {
        if (GraphicsEnvironment.isHeadless()) {
            throw new IllegalStateException("no display: screen capture needs an X server, Windows or macOS desktop");
        }
        GraphicsDevice[] devices =
                GraphicsEnvironment.getLocalGraphicsEnvironment().getScreenDevices();
        Rectangle union = new Rectangle();
        double scale = 1;
        for (GraphicsDevice d : devices) {
            var gc = d.getDefaultConfiguration();
            union = union.isEmpty() ? gc.getBounds() : union.union(gc.getBounds());
            AffineTransform t = gc.getDefaultTransform();
            scale = Math.max(scale, Math.max(t.getScaleX(), t.getScaleY()));
        }
        Robot robot;
        try {
            robot = new Robot();
        } catch (AWTException e) {
            throw new IllegalStateException("the desktop does not allow screen capture: " + e.getMessage(), e);
        }
        int w = (int) Math.ceil(union.width * scale);
        int h = (int) Math.ceil(union.height * scale);
        BufferedImage all = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = all.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            g.setColor(Color.BLACK);
            g.fillRect(0, 0, w, h);
            for (GraphicsDevice d : devices) {
                Rectangle b = d.getDefaultConfiguration().getBounds();
                MultiResolutionImage shot = robot.createMultiResolutionScreenCapture(b);
                Image best = largest(shot.getResolutionVariants());
                g.drawImage(
                        best,
                        (int) Math.round((b.x - union.x) * scale),
                        (int) Math.round((b.y - union.y) * scale),
                        (int) Math.round(b.width * scale),
                        (int) Math.round(b.height * scale),
                        null);
            }
        } finally {
            g.dispose();
        }
        return new FrozenScreen(union, scale, all);
    }

    /** A frozen screen from a picture already taken; for tests and for files. */
    public static FrozenScreen of(Rectangle bounds, double scale, BufferedImage image) {
        return new FrozenScreen(new Rectangle(bounds), scale, image);
    }

    private static Image largest(List<Image> variants) {
        Image best = variants.get(0);
        for (Image v : variants) if (v.getWidth(null) > best.getWidth(null)) best = v;
        return best;
    }

    /** The virtual desktop in logical coordinates. */
    public Rectangle bounds() {
        return new Rectangle(bounds);
    }

    /** Device pixels per logical pixel in {@link #image()}. */
    public double scale() {
        return scale;
    }

    /** The whole picture, {@code bounds * scale} pixels. */
    public BufferedImage image() {
        return image;
    }

    /**
     * The pixels of {@code region} (logical, virtual-desktop coordinates). With a {@code lasso}
     * (same coordinates), the crop is the lasso's bounding box and every pixel outside the lasso is
     * white, so the engine reads only what was encircled.
     */
    public BufferedImage crop(Rectangle region, Shape lasso) {
        Rectangle r = region.intersection(bounds);
        if (r.isEmpty())
            throw new IllegalArgumentException("the region " + region + " is outside the screens " + bounds);
        int x = (int) Math.floor((r.x - bounds.x) * scale);
        int y = (int) Math.floor((r.y - bounds.y) * scale);
        int w = Math.max(1, Math.min(image.getWidth() - x, (int) Math.ceil(r.width * scale)));
        int h = Math.max(1, Math.min(image.getHeight() - y, (int) Math.ceil(r.height * scale)));
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.drawImage(image.getSubimage(x, y, w, h), 0, 0, null);
            if (lasso != null) {
                AffineTransform toCrop = new AffineTransform();
                toCrop.scale(scale, scale);
                toCrop.translate(-r.x, -r.y);
                Area outside = new Area(new Rectangle(0, 0, w, h));
                outside.subtract(new Area(toCrop.createTransformedShape(lasso)));
                g.setColor(Color.WHITE);
                g.fill(outside);
            }
        } finally {
            g.dispose();
        }
        return out;
    }
}
