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
    private final String text;

    private ClipboardText(String text) {
        this.text = text;
    }

    /** Sets the clipboard; returns an owner whose {@link #awaitLost()} returns when another program takes it. */
    public static ClipboardText put(String text) {
        ClipboardText owner = new ClipboardText(TextCleanup.forClipboard(text));
        Clipboard clipboard = Toolkit.getDefaultToolkit().getSystemClipboard();
        clipboard.setContents(new StringSelection(owner.text), owner);
        return owner;
    }

    @Override
    public void lostOwnership(Clipboard clipboard, Transferable contents) {
        lost.countDown();
    }

    /** Whether our text is still the clipboard's: no other program has taken it. */
    public boolean owned() {
        return lost.getCount() > 0;
    }

    /** The text as put on the clipboard. */
    public String text() {
        return text;
    }

    /** Blocks until another owner replaces our text. */
    public void awaitLost() throws InterruptedException {
        lost.await();
    }
}
