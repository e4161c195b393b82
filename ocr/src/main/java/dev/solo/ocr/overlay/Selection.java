package dev.solo.ocr.overlay;

import java.awt.Polygon;
import java.awt.Rectangle;

/** What the user did in the overlay. */
public sealed interface Selection {

    /**
     * A region in virtual-desktop logical coordinates; {@code lasso} is the drawn polygon in lasso
     * mode, {@code null} for a rectangle.
     */
    record Region(Rectangle bounds, Polygon lasso) implements Selection {}

    /** Esc, or the overlay was closed. */
    record Cancelled() implements Selection {}
}
