package dev.solo.cli.ocr;

import dev.solo.cli.Version;
import dev.solo.core.ConfigException;
import dev.solo.core.Outcome;
import dev.solo.core.Registry;
import dev.solo.core.SingleInstance;
import dev.solo.ocr.clipboard.ClipboardHolder;
import dev.solo.ocr.clipboard.ClipboardText;
import dev.solo.ocr.config.OcrConfig;
import dev.solo.ocr.display.DisplayLoss;
import dev.solo.ocr.engine.CancelledException;
import dev.solo.ocr.engine.EngineSpec;
import dev.solo.ocr.engine.Engines;
import dev.solo.ocr.engine.OcrEngine;
import dev.solo.ocr.engine.OcrException;
import dev.solo.ocr.engine.Reading;
import dev.solo.ocr.resident.Desktop;
import dev.solo.ocr.resident.JobArgs;
import dev.solo.ocr.resident.OcrResident;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;

/**
 * {@code solo ocr --run-once [--stdout]}: the selection goes to the resident ({@code CLIPBOARD} or
 * {@code STDOUT}, with this client's engine settings); when none answers, it was shutting down or
 * lost the request, or it cannot honour the settings, the overlay runs in this process. A standalone
 * run stays until its popup has shown the text, and on X11 hands the clipboard to a holder process; when
 * its X server goes away it says so in one line and exits {@value OcrCommand#DISPLAY_LOST}, as the resident does.
 */
final class RunOnce {
    private final OcrConfig config;
    private final Registry registry;
    private final boolean stdout;
    private final PrintWriter out;
    private final PrintWriter err;

    RunOnce(OcrConfig config, Registry registry, boolean stdout, PrintWriter out, PrintWriter err) {
        this.config = config;
        this.registry = registry;
        this.stdout = stdout;
        this.out = out;
        this.err = err;
    }

    int run() throws InterruptedException {
        try {
            Engines.check(config);
        } catch (ConfigException e) {
            OcrCommand.error(err, e.getMessage());
            return OcrCommand.FAILED;
        }
        SingleInstance app = OcrResident.app(config, registry, Version.get(), null);
        String args = JobArgs.format(EngineSpec.of(config), false);
        Outcome outcome = app.tryRunOnce(stdout ? "STDOUT" : "CLIPBOARD", args, null);
        if (outcome instanceof Outcome.Delegated d) {
            if (stdout) OcrCommand.printText(out, d.text());
            return 0;
        }
        if (!OcrCommand.FALLBACK.runStandalone(outcome)) {
            if (outcome instanceof Outcome.ResidentError e) return OcrCommand.residentError(err, e);
            OcrCommand.error(err, outcome.message());
            return OcrCommand.FAILED;
        }
        OcrCommand.sayWhyStandalone(err, outcome);
        return standalone();
    }

    private int standalone() throws InterruptedException {
        Desktop desktop;
        try {
            desktop = Desktop.detect(config, m -> err.println("solo ocr: " + m));
        } catch (OcrException e) {
            OcrCommand.error(err, e.getMessage());
            return OcrCommand.FAILED;
        }
        if (!desktop.interactive()) {
            OcrCommand.error(err, ((Desktop.Headless) desktop).reason() + ".");
            return OcrCommand.FAILED;
        }
        // Xlib would end this process with exit(1) and no word when the X server goes away mid-selection
        DisplayLoss.onLoss(this::displayLost, OcrCommand.DISPLAY_LOST)
                .ifPresent(why -> err.println("solo ocr: warning: an X server that goes away will end this run"
                        + " without a word (" + why + ")"));
        String text;
        try (OcrEngine engine = Engines.create(config, registry.home())) {
            text = desktop.selectAndRead(image -> Reading.of(image, engine));
        } catch (CancelledException e) {
            err.println("solo ocr: " + e.getMessage() + ".");
            return OcrCommand.CANCELLED;
        } catch (ConfigException | OcrException e) {
            OcrCommand.error(err, e.getMessage());
            desktop.awaitPopup(config.popup().plusSeconds(2)); // the popup shows the error
            return OcrCommand.FAILED;
        }
        int code = deliver(text);
        // The popup shows the text for OCR_POPUP_SEC; exiting at once would close it (the output is
        // already printed or on the clipboard).
        desktop.awaitPopup(config.popup().plusSeconds(2));
        return code;
    }

    /**
     * The X server went away during the selection ({@link DisplayLoss}): one line, as the resident says it;
     * the process then ends with {@link OcrCommand#DISPLAY_LOST}. Touches no AWT.
     */
    private void displayLost(String display) {
        err.println("Error: the X display " + display + " went away (its X server ended: the desktop session"
                + " closed, or Xvfb was stopped); solo ocr --run-once read nothing and exits with code "
                + OcrCommand.DISPLAY_LOST + ". Run it again in a running desktop session, or use 'solo ocr --file',"
                + " which needs no display.");
        err.flush();
    }

    /** Prints the text ({@code --stdout}), or leaves it on the clipboard after this process exits. */
    private int deliver(String text) throws InterruptedException {
        if (stdout) {
            OcrCommand.printText(out, text);
            return 0;
        }
        try {
            if (ClipboardHolder.needed()) {
                ClipboardHolder.handOver(text, Duration.ofSeconds(15));
            } else {
                ClipboardText.put(text);
            }
        } catch (IOException e) {
            OcrCommand.error(err, e.getMessage());
            OcrCommand.printText(out, text);
            return OcrCommand.FAILED;
        }
        return 0;
    }
}
