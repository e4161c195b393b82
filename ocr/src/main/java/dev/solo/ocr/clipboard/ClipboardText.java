package dev.solo.ocr.clipboard;

import dev.solo.ocr.engine.TextCleanup;
import java.awt.Toolkit;
import java.awt.datatransfer.Clipboard;
import java.awt.datatransfer.ClipboardOwner;
import java.awt.datatransfer.StringSelection;
import java.awt.datatransfer.Transferable;
import java.util.concurrent.CountDownLatch;

/**
 * Puts text on the system clipboard from this process, control characters stripped. On X11 the
 * text stays pasteable only while this process owns the selection; a process about to exit hands
 * the text to a {@link ClipboardHolder} instead.
 */
public final class ClipboardText implements ClipboardOwner {
    private final CountDownLatch lost = new CountDownLatch(1);

    /** Sets the clipboard; returns an owner whose {@link #awaitLost()} returns when another program takes it. */
    public static ClipboardText put(String text) {
        ClipboardText owner = new ClipboardText();
        Clipboard clipboard = Toolkit.getDefaultToolkit().getSystemClipboard();
        clipboard.setContents(new StringSelection(TextCleanup.forClipboard(text)), owner);
        return owner;
    }

    @Override
    public void lostOwnership(Clipboard clipboard, Transferable contents) {
        lost.countDown();
    }

    /** Blocks until another owner replaces our text. */
    public void awaitLost() throws InterruptedException {
        lost.await();
    }
}
