package dev.solo.ocr.resident;

import dev.solo.ocr.config.OcrConfig;
import dev.solo.ocr.engine.EnginePool;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a running resident says of itself in answer to {@code STATUS} ({@code solo ocr status}), beyond the
 * identity every resident proves ({@code HELLO}: port, pid, version, start): how it reads and how the user
 * reaches it. On the wire: one {@code key=value} line per field, values without line breaks; a client
 * ignores keys it does not know and treats missing ones as empty.
 *
 * @param engine the engine and its settings, e.g. {@code tesseract (eng)}
 * @param images how many images it reads at once
 * @param hotkey the global hotkey, or empty when it has none (no display)
 * @param display the X display it selects on ({@code :0}), or why it has none
 */
public record About(String engine, int images, String hotkey, String display) {
    public About {
        engine = oneLine(engine);
        hotkey = oneLine(hotkey);
        display = oneLine(display);
    }

    /** What a resident with these engines, this desktop and these settings says of itself. */
    static About of(EnginePool pool, Desktop desktop, OcrConfig config) {
        if (!desktop.interactive()) {
            return new About(pool.spec().toString(), pool.size(), "", ((Desktop.Headless) desktop).reason());
        }
        String display = Objects.requireNonNullElse(System.getenv("DISPLAY"), "this desktop");
        return new About(pool.spec().toString(), pool.size(), config.hotkey().toString(), display);
    }

    /** The {@code STATUS} payload. */
    public String toPayload() {
        return "engine=" + engine + "\nimages=" + images + "\nhotkey=" + hotkey + "\ndisplay=" + display + "\n";
    }

    /** Reads a {@code STATUS} payload; lines without {@code =} and unknown keys are skipped. */
    public static About parse(String payload) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : payload.split("\n", -1)) {
            int eq = line.indexOf('=');
            if (eq > 0) m.put(line.substring(0, eq), line.substring(eq + 1));
        }
        int images;
        try {
            images = Integer.parseInt(m.getOrDefault("images", "0"));
        } catch (NumberFormatException e) {
            images = 0;
        }
        return new About(m.get("engine"), images, m.get("hotkey"), m.get("display"));
    }

    private static String oneLine(String s) {
        return Objects.requireNonNullElse(s, "").replace('\n', ' ').replace('\r', ' ');
    }
}
