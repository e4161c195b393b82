package dev.solo.ocr.overlay;

import dev.solo.ocr.capture.FrozenScreen;
import java.awt.AlphaComposite;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Cursor;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.Point;
import java.awt.Polygon;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.event.KeyAdapter;
import java.awt.event.KeyEvent;
import java.awt.event.MouseAdapter;
import java.awt.event.MouseEvent;
import java.awt.event.WindowAdapter;
import java.awt.event.WindowEvent;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import javax.swing.JComponent;
import javax.swing.JFrame;
import javax.swing.SwingUtilities;

/**
 * The full-screen selection window: an undecorated, always-on-top frame over the union of all
 * screens, painted with the {@link FrozenScreen} and dimmed outside the selection.
 *
 * <ul>
 *   <li>drag: a rectangle (or, in lasso mode, a free-hand polygon);
 *   <li>Space: toggles rectangle and lasso mode;
 *   <li>Esc: cancels.
 * </ul>
 *
 * A drag smaller than 4x4 logical pixels is taken as a stray click and ignored.
 */
public final class SelectionOverlay {
    private static final int MIN_SIZE = 4;

    private SelectionOverlay() {}

    /**
     * Shows the overlay and blocks until the user selects or cancels. An interrupt closes it.
     *
     * @param lasso whether to start in lasso mode
     * @param shown called on the event thread once the overlay is visible and has the keyboard focus, so
     *     Esc and Space work from then on (tests and logs use it)
     */
    public static Selection select(FrozenScreen screen, boolean lasso, Consumer<Rectangle> shown)
            throws InterruptedException {
        CompletableFuture<Selection> result = new CompletableFuture<>();
        JFrame[] frame = new JFrame[1];
        SwingUtilities.invokeLater(() -> frame[0] = open(screen, lasso, result, shown));
        try {
            return result.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("the selection overlay failed: " + e.getCause(), e.getCause());
        } finally {
            SwingUtilities.invokeLater(() -> {
                if (frame[0] != null) frame[0].dispose();
            });
        }
    }

    private static JFrame open(
            FrozenScreen screen, boolean startLasso, CompletableFuture<Selection> result, Consumer<Rectangle> shown) {
        Rectangle bounds = screen.bounds();
        JFrame f = new JFrame("solo ocr: select a region (Esc cancels, Space toggles lasso)");
        f.setUndecorated(true);
        f.setAlwaysOnTop(true);
        f.setBounds(bounds);
        f.setDefaultCloseOperation(JFrame.DISPOSE_ON_CLOSE);
        Canvas canvas = new Canvas(screen, startLasso);
        f.setContentPane(canvas);
        f.setCursor(Cursor.getPredefinedCursor(Cursor.CROSSHAIR_CURSOR));
        MouseAdapter mouse = new MouseAdapter() {
            @Override
            public void mousePressed(MouseEvent e) {
                canvas.begin(e.getPoint());
            }

            @Override
            public void mouseDragged(MouseEvent e) {
                canvas.extend(e.getPoint());
            }

            @Override
            public void mouseReleased(MouseEvent e) {
                canvas.extend(e.getPoint());
                Selection s = canvas.finish(bounds.getLocation());
                if (s != null) {
                    result.complete(s);
                    f.dispose();
                }
            }
        };
        canvas.addMouseListener(mouse);
        canvas.addMouseMotionListener(mouse);
        f.addKeyListener(new KeyAdapter() {
            @Override
            public void keyPressed(KeyEvent e) {
                if (e.getKeyCode() == KeyEvent.VK_ESCAPE) {
                    result.complete(new Selection.Cancelled());
                    f.dispose();
                } else if (e.getKeyCode() == KeyEvent.VK_SPACE) {
                    canvas.toggleMode();
                }
            }
        });
        f.addWindowListener(new WindowAdapter() {
            @Override
            public void windowOpened(WindowEvent e) {
                f.toFront();
                f.requestFocus();
            }

            @Override
            public void windowClosed(WindowEvent e) {
                result.complete(new Selection.Cancelled());
            }
        });
        // Announce the overlay only once it has the keyboard: focus arrives after windowOpened, and an
        // Esc pressed in between (by a quick user or a test) would otherwise be lost.
        f.addWindowFocusListener(new WindowAdapter() {
            private boolean announced;

            @Override
            public void windowGainedFocus(WindowEvent e) {
                if (!announced) {
                    announced = true;
                    shown.accept(bounds);
                }
            }
        });
        f.setVisible(true);
        return f;
    }

    /** Paints the frozen screen, the dimming and the current selection; keeps the drag state. */
    private static final class Canvas extends JComponent {
        private static final long serialVersionUID = 1L;
        private final transient FrozenScreen screen;
        private boolean lasso;
        private Point start;
        private Point end;
        private Polygon path = new Polygon();

        Canvas(FrozenScreen screen, boolean lasso) {
            this.screen = screen;
            this.lasso = lasso;
            setFocusable(false);
        }

        void toggleMode() {
            lasso = !lasso;
            start = null;
            path = new Polygon();
            repaint();
        }

        void begin(Point p) {
            start = p;
            end = p;
            path = new Polygon();
            path.addPoint(p.x, p.y);
            repaint();
        }

        void extend(Point p) {
            if (start == null) return;
            end = p;
            if (lasso) path.addPoint(p.x, p.y);
            repaint();
        }

        /** The selection in virtual-desktop coordinates, or {@code null} for a stray click. */
        Selection finish(Point origin) {
            if (start == null) return null;
            Rectangle r = lasso ? path.getBounds() : rect();
            boolean small = r.width < MIN_SIZE || r.height < MIN_SIZE;
            Polygon poly = lasso ? new Polygon(path.xpoints, path.ypoints, path.npoints) : null;
            start = null;
            path = new Polygon();
            repaint();
            if (small) return null;
            r.translate(origin.x, origin.y);
            if (poly != null) poly.translate(origin.x, origin.y);
            return new Selection.Region(r, poly);
        }

        private Rectangle rect() {
            return new Rectangle(
                    Math.min(start.x, end.x),
                    Math.min(start.y, end.y),
                    Math.abs(end.x - start.x),
                    Math.abs(end.y - start.y));
        }

        /**
         * The hint on a dark, nearly opaque box with a light border: readable over any page, white
         * or black (white text alone vanished over white pages).
         */
        private void hint(Graphics2D g, String text) {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
            FontMetrics fm = g.getFontMetrics();
            int w = fm.stringWidth(text) + 24;
            int h = fm.getHeight() + 12;
            int x = 16;
            int y = getHeight() - 16 - h;
            g.setColor(new Color(0x20, 0x20, 0x20, 235));
            g.fillRoundRect(x, y, w, h, 10, 10);
            g.setColor(new Color(0xdddddd));
            g.drawRoundRect(x, y, w, h, 10, 10);
            g.setColor(Color.WHITE);
            g.drawString(text, x + 12, y + 6 + fm.getAscent());
        }

        @Override
        protected void paintComponent(Graphics graphics) {
            Graphics2D g = (Graphics2D) graphics.create();
            try {
                g.drawImage(screen.image(), 0, 0, getWidth(), getHeight(), null);
                g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, 0.35f));
                g.setColor(Color.BLACK);
                g.fillRect(0, 0, getWidth(), getHeight());
                g.setComposite(AlphaComposite.SrcOver);
                if (start != null) {
                    java.awt.Shape sel = lasso ? path : rect();
                    g.setClip(sel);
                    g.drawImage(screen.image(), 0, 0, getWidth(), getHeight(), null);
                    g.setClip(null);
                    g.setColor(new Color(0x2f81f7));
                    g.setStroke(new BasicStroke(2));
                    g.draw(sel);
                }
                hint(g, (lasso ? "Lasso" : "Rectangle") + " — drag to select · Space: switch mode · Esc: cancel");
            } finally {
                g.dispose();
            }
        }
    }
}
