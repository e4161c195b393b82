package dev.solo.cli.ocr;

import dev.solo.core.ConfigException;
import dev.solo.core.Registry;
import dev.solo.ocr.config.OcrConfig;
import java.io.PrintWriter;

/**
 * The two client jobs of {@code solo ocr} once their options are known: {@code --file PATH|- [--json]}
 * and {@code --run-once [--stdout]}. {@link OcrCommand} runs the same steps after picocli parsed the
 * line, and the lean start ({@code dev.solo.cli.fast}) calls these after it recognised one of these
 * plain forms: one code path, so both print the same and exit the same. Loads neither picocli nor
 * (unless {@code --json}) Jackson.
 */
public final class OcrClient {
    private OcrClient() {}

    /** {@code solo ocr --file file [--json]}, with the settings of the environment and the {@code .env} file. */
    public static int file(String file, boolean json, PrintWriter out, PrintWriter err) throws InterruptedException {
        OcrConfig config = config(null, false, err);
        if (config == null) return OcrCommand.FAILED;
        return new FileOcr(config, Registry.forCurrentUser(), out, err).run(file, json);
    }

    /** {@code solo ocr --run-once [--stdout]}, with the settings of the environment and the {@code .env} file. */
    public static int runOnce(boolean stdout, PrintWriter out, PrintWriter err) throws InterruptedException {
        OcrConfig config = config(null, true, err);
        if (config == null) return OcrCommand.FAILED;
        return new RunOnce(config, Registry.forCurrentUser(), stdout, out, err).run();
    }

    /**
     * {@code solo ocr --file file [--json]} with this config and registry: for the class-data-sharing
     * training run, which brings its own resident.
     */
    public static int file(
            String file, boolean json, OcrConfig config, Registry registry, PrintWriter out, PrintWriter err)
            throws InterruptedException {
        Headless.configure(false); // as config() does for a user's run: its class belongs in the archive too
        return new FileOcr(config, registry, out, err).run(file, json);
    }

    /**
     * Decides headless or not ({@link Headless#configure(boolean)}), loads the config with the flags of
     * {@code flags} (may be {@code null}) and prints its warnings; {@code null} after printing the error
     * when a setting is bad.
     *
     * @param needsDisplay whether the job selects from the screen (not {@code --file})
     */
    static OcrConfig config(OcrCommand flags, boolean needsDisplay, PrintWriter err) {
        Headless.configure(needsDisplay);
        OcrConfig config;
        try {
            config = OcrCommand.loadConfig(flags);
        } catch (ConfigException e) {
            OcrCommand.error(err, e.getMessage());
            return null;
        }
        for (String w : config.warnings()) err.println("solo ocr: warning: " + w);
        err.flush();
        return config;
    }
}
