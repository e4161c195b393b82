package dev.solo.cli.ocr;

import java.util.function.Consumer;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The resident's log lines, one line each: its own ({@code solo ocr: engine …}) and those of the
 * libraries it runs on. solo-core logs through {@code System.Logger}, which lands in java.util.logging,
 * whose console format takes two lines per message (a date with the class and method, then {@code
 * WARNING: …}); here every record becomes one line in the resident's style: {@code solo ocr: warning: …}.
 */
final class ResidentLog {
    private ResidentLog() {}

    /**
     * Sends every java.util.logging record of this JVM at INFO or above to {@code log} as one line,
     * replacing the console handler.
     */
    static void route(Consumer<String> log) {
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) root.removeHandler(h);
        root.addHandler(new Handler() {
            private final Formatter text = new Formatter() {
                @Override
                public String format(LogRecord r) {
                    return formatMessage(r);
                }
            };

            @Override
            public void publish(LogRecord r) {
                if (r == null || r.getLevel().intValue() < Level.INFO.intValue()) return;
                log.accept(line(r.getLevel(), text.format(r), r.getThrown()));
            }

            @Override
            public void flush() {
                // the consumer flushes each line
            }

            @Override
            public void close() {
                // nothing held
            }
        });
    }

    /** {@code warning: message: cause}, on one line. */
    static String line(Level level, String message, Throwable thrown) {
        String prefix = level.intValue() >= Level.SEVERE.intValue()
                ? "error: "
                : level.intValue() >= Level.WARNING.intValue() ? "warning: " : "";
        String line = prefix + (message == null ? "" : message);
        if (thrown != null) line += ": " + thrown;
        return line.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }
}
