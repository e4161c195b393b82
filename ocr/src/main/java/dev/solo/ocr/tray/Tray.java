package dev.solo.ocr.tray;

import java.awt.AWTException;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.MenuItem;
import java.awt.PopupMenu;
import java.awt.RenderingHints;
import java.awt.SystemTray;
import java.awt.TrayIcon;
import java.awt.image.BufferedImage;
import java.util.Optional;
import javax.swing.JOptionPane;

/** The tray icon where the desktop has a tray: About (hotkey, port, engine) and Exit. */
public final class Tray implements AutoCloseable {
    private final TrayIcon icon;

    private Tray(TrayIcon icon) {
        this.icon = icon;
    }

    /**
     * Adds the icon, or returns empty when the desktop has no tray (headless, most bare X servers).
     *
     * @param about the About text
     * @param exit run when the user picks Exit
     */
    public static Optional<Tray> show(String about, Runnable exit) {
        if (java.awt.GraphicsEnvironment.isHeadless() || !SystemTray.isSupported()) return Optional.empty();
        PopupMenu menu = new PopupMenu();
        MenuItem aboutItem = new MenuItem("About solo ocr");
        aboutItem.addActionListener(
                e -> JOptionPane.showMessageDialog(null, about, "solo ocr", JOptionPane.INFORMATION_MESSAGE));
        MenuItem exitItem = new MenuItem("Exit");
        exitItem.addActionListener(e -> exit.run());
        menu.add(aboutItem);
        menu.addSeparator();
        menu.add(exitItem);
        TrayIcon icon =
                new TrayIcon(image(), "solo ocr — " + about.lines().findFirst().orElse(""), menu);
        icon.setImageAutoSize(true);
        try {
            SystemTray.getSystemTray().add(icon);
        } catch (AWTException e) {
            return Optional.empty();
        }
        return Optional.of(new Tray(icon));
    }

    private static BufferedImage image() {
        BufferedImage img = new BufferedImage(32, 32, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(new Color(0x2f81f7));
        g.fillRoundRect(0, 0, 32, 32, 8, 8);
        g.setColor(Color.WHITE);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
        g.drawString("T", 10, 23);
        g.dispose();
        return img;
    }

    @Override
    public void close() {
        SystemTray.getSystemTray().remove(icon);
    }
}
