package dev.solo.ocr.clipboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Keeps text on the clipboard after the process that read it exits.
 *
 * <p>X11 has no clipboard store: the text lives in the process that owns the selection, and
 * vanishes when it exits. A standalone {@code solo ocr --run-once} therefore starts this class as a
 * small detached JVM ({@link #handOver}); it reads the text from stdin, takes the selection, prints
 * {@code READY}, and exits when another program takes the clipboard over. On Windows and macOS the
 * system keeps the text itself and no holder is started.
 */
public final class ClipboardHolder {
    private ClipboardHolder() {}

    /** The holder process: text on stdin, {@code READY} on stdout once it owns the clipboard. */
    public static void main(String[] args) throws Exception {
        String text = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
        ClipboardText owner = ClipboardText.put(text);
        PrintStream out = System.out;
        out.println("READY");
        out.flush();
        out.close();
        owner.awaitLost();
        System.exit(0);
    }

    /** Whether this platform drops the clipboard with its owner, so a holder is needed. */
    public static boolean needed() {
        String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
        return !os.contains("win") && !os.contains("mac");
    }

    /**
     * Starts a holder for {@code text} and waits until it owns the clipboard.
     *
     * @throws IOException when the holder cannot start or does not confirm within {@code wait}
     */
    public static void handOver(String text, Duration wait) throws IOException, InterruptedException {
        String java = ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>();
        if (new java.io.File("/usr/bin/setsid").canExecute()) cmd.add("/usr/bin/setsid");
        cmd.addAll(List.of(
                java,
                "-Xmx32m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                ClipboardHolder.class.getName()));
        Process p = new ProcessBuilder(cmd)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(text.getBytes(StandardCharsets.UTF_8));
        }
        InputStream out = p.getInputStream();
        byte[] ready = new byte[5];
        Thread reader = new Thread(
                () -> {
                    try {
                        out.readNBytes(ready, 0, 5);
                    } catch (IOException ignored) {
                        // reported below as "did not confirm"
                    }
                },
                "solo-ocr-clipboard-handover");
        reader.setDaemon(true);
        reader.start();
        reader.join(wait.toMillis());
        if (!"READY".equals(new String(ready, StandardCharsets.US_ASCII))) {
            boolean exited = p.waitFor(10, TimeUnit.MILLISECONDS);
            if (!exited) p.destroy();
            throw new IOException("the clipboard holder process did not take the clipboard within " + wait.toMillis()
                    + " ms" + (exited ? " (it exited with " + p.exitValue() + ")" : "")
                    + "; the text was printed instead of copied. Is DISPLAY right?");
        }
        out.close();
    }
}
