package dev.solo.cli.fast;

import dev.solo.cli.Main;
import dev.solo.cli.ocr.OcrClient;
import java.io.PrintWriter;

/**
 * {@code solo ocr --file PATH|- [--json]} and {@code solo ocr --run-once [--stdout]}, through {@link
 * OcrClient}. Every other form of {@code solo ocr} (the resident, {@code --background}, {@code config},
 * the other flags, usage errors) is the full command line's.
 */
final class OcrFast {
    private static final String[] FLAGS = {"--run-once", "--stdout", "--json"};
    private static final String[] VALUED = {"--file"};

    private OcrFast() {}

    static int client(String[] args, PrintWriter out, PrintWriter err) {
        Options o = Options.read(args, 1, FLAGS, VALUED);
        if (o == null) return FastPath.NOT_HANDLED;
        String file = o.value("--file");
        boolean runOnce = o.has("--run-once");
        boolean stdout = o.has("--stdout");
        boolean json = o.has("--json");
        // Exactly the two client forms; usage errors are left to the full command line.
        boolean fileJob = file != null && !runOnce && !stdout;
        boolean selectJob = runOnce && file == null && !json;
        if (!fileJob && !selectJob) return FastPath.NOT_HANDLED;
        try {
            int code = fileJob ? OcrClient.file(file, json, out, err) : OcrClient.runOnce(stdout, out, err);
            out.flush();
            err.flush();
            return code;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Main.report(e, err);
        } catch (RuntimeException e) {
            return Main.report(e, err);
        }
    }
}
