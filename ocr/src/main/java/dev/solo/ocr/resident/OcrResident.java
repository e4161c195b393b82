package dev.solo.ocr.resident;

import dev.solo.core.ClaimResult;
import dev.solo.core.LineServer;
import dev.solo.core.Registry;
import dev.solo.core.Request;
import dev.solo.core.Response;
import dev.solo.core.SingleInstance;
import dev.solo.core.Verb;
import dev.solo.ocr.clipboard.ClipboardHolder;
import dev.solo.ocr.clipboard.ClipboardText;
import dev.solo.ocr.config.OcrConfig;
import dev.solo.ocr.engine.EnginePool;
import dev.solo.ocr.hotkey.GlobalHotkey;
import dev.solo.ocr.tray.Tray;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The {@code solo ocr} resident: a pool of loaded engines behind a {@link LineServer} with the verbs
 * {@code CLIPBOARD}, {@code STDOUT} and {@code IMAGE}, the global hotkey and the tray icon.
 *
 * <p><b>What runs at once</b>, and what a request may ask for: see {@link Jobs}, which does the verbs'
 * and the hotkey's work; this class starts and stops the parts.
 *
 * <p><b>Its own lifecycle.</b> {@code STATUS} answers what it reads with and how it is reached ({@link
 * About}); {@code STOP} answers at once and stops it as the tray's Exit does. Both need {@code AUTH} over
 * TCP (or the same-user socket), as every verb that is not a raw ADR-007 request.
 *
 * <p><b>Shutdown</b> ({@link #close()}, idempotent): hotkey and tray go first, then the server answers
 * requests in flight {@code ERROR\nshutting down} and releases the port and registry record; text the
 * resident still holds on the X11 clipboard is handed to a holder process so it still pastes; the
 * engines are closed last.
 */
public final class OcrResident implements AutoCloseable {
    /** The service name in the registry and in {@code HELLO}. */
    public static final String SERVICE = "solo-ocr";
    /** ADR-007's busy text. */
    public static final String BUSY = "Busy, please retry";
    /** The largest image {@code IMAGE} accepts, in bytes. */
    public static final int MAX_IMAGE_BYTES = 64 * 1024 * 1024;

    private final EnginePool pool;
    private final Jobs jobs;
    private final Runnable onExit;
    private final Consumer<String> log;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final About about;
    private LineServer server;
    private GlobalHotkey hotkey;
    private Tray tray;

    private OcrResident(
            EnginePool pool, Desktop desktop, Consumer<String> log, Runnable onExit, long maxPixels, About about) {
        this.pool = pool;
        this.jobs = new Jobs(pool, desktop, log, maxPixels, closed::get);
        this.log = log;
        this.onExit = onExit;
        this.about = about;
    }

    /** The single-instance handle of {@code solo ocr} for {@code config}'s port range. */
    public static SingleInstance app(OcrConfig config, Registry registry, String version, Path logFile) {
        SingleInstance.Builder b = SingleInstance.builder(SERVICE)
                .version(version)
                .policy(config.ports())
                .registry(registry)
                // an overlay waits for its user; the llm engine has its own deadline
                .answerTimeout(Duration.ofMinutes(10));
        if (logFile != null) b.log(logFile);
        return b.build();
    }

    /**
     * Registers the hotkey where the desktop has one, serves on {@code claimed} with {@code pool} (its
     * first engine loaded), then shows the tray icon where the desktop has a tray.
     *
     * @param log where the resident's log lines go (stderr, or the log file of a background resident)
     * @param onExit run when the user picks Exit in the tray or a client sends {@code STOP}; it must not
     *     block (start the close on another thread)
     * @throws dev.solo.core.ConfigException when the hotkey cannot be registered: before the server
     *     answers, and with the claim released and the engines closed
     */
    public static OcrResident start(
            SingleInstance app,
            ClaimResult.Claimed claimed,
            OcrConfig config,
            EnginePool pool,
            Desktop desktop,
            Consumer<String> log,
            Runnable onExit) {
        OcrResident r =
                new OcrResident(pool, desktop, log, onExit, config.maxPixels(), About.of(pool, desktop, config));
        // The hotkey first: a resident that cannot have it must never have answered (a --background
        // start reports success as soon as the port answers).
        if (desktop.interactive()) {
            try {
                r.hotkey = GlobalHotkey.register(config.hotkey(), r.jobs::onHotkey);
            } catch (RuntimeException e) {
                r.close();
                claimed.close();
                throw e;
            }
        }
        try {
            r.server = LineServer.builder(app)
                    .verb(Verb.exclusive("CLIPBOARD", r.jobs::clipboard).withRawFromSameUser())
                    .verb(Verb.exclusive("STDOUT", r.jobs::stdout).withRawFromSameUser())
                    .verb(Verb.concurrent("IMAGE", r.jobs::image).withBody(MAX_IMAGE_BYTES))
                    .verb(Verb.concurrent("STATUS", req -> Response.success(r.about.toPayload())))
                    .verb(Verb.concurrent("STOP", r::stop))
                    .start(claimed);
        } catch (RuntimeException e) {
            r.close();
            throw e;
        }
        if (desktop.interactive()) {
            String about = "Hotkey: " + config.hotkey() + "\nPort: " + r.port() + "\nEngine: " + pool.spec();
            r.tray = Tray.show(about, onExit).orElse(null);
            log.accept("hotkey " + config.hotkey() + " registered; tray icon "
                    + (r.tray != null ? "shown" : "not shown (this desktop has no system tray)"));
        } else {
            log.accept(((Desktop.Headless) desktop).reason());
        }
        log.accept("engine " + pool.spec() + ": up to " + pool.size() + " images read at once");
        return r;
    }

    /** {@code STOP}: answers, then stops as the tray's Exit does (the answer may lose the race to the close). */
    private Response stop(Request request) {
        log.accept("stopping: a client asked (STOP, as solo ocr stop sends)");
        onExit.run();
        return Response.ok();
    }

    /** The port the resident serves on. */
    public int port() {
        return server.port();
    }

    /** The engine's name. */
    public String engineName() {
        return pool.spec().engine();
    }

    /** Blocks until the resident has closed. */
    public void awaitClose() throws InterruptedException {
        server.awaitClose();
    }

    /**
     * Stops hotkey, tray and server, hands the clipboard over, then closes the engines; idempotent.
     * Each step runs even when one before it fails (the failure is logged): the port and the
     * clipboard matter more than a tray icon.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        step("remove the hotkey", () -> Optional.ofNullable(hotkey).ifPresent(GlobalHotkey::close));
        step("remove the tray icon", () -> Optional.ofNullable(tray).ifPresent(Tray::close));
        jobs.stopHotkeyJobs();
        step("stop serving", () -> Optional.ofNullable(server).ifPresent(LineServer::close));
        step("keep the clipboard", this::handOverClipboard);
        step("close the engines", pool::close);
        jobs.close();
    }

    /**
     * The X server went away: releases what other processes see (the same-user socket, the port, the
     * registry record) and nothing that needs the display, for a process about to end (see {@link
     * dev.solo.ocr.display.DisplayLoss}). Runs on the thread Xlib reported on, which may hold AWT's lock.
     */
    public void closeWithoutDisplay() {
        if (!closed.compareAndSet(false, true)) return;
        jobs.stopHotkeyJobs();
        step("stop serving", () -> Optional.ofNullable(server).ifPresent(LineServer::close));
    }

    private void step(String what, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException | LinkageError e) {
            log.accept("shutdown: could not " + what + ": " + e);
        }
    }

    /** X11 drops a selection with its owner: a holder process keeps our last copy pasteable. */
    private void handOverClipboard() {
        ClipboardText c = jobs.copied();
        if (c == null || !ClipboardHolder.needed()) return;
        if (!c.owned()) {
            log.accept("the copied text was replaced on the clipboard by another program; nothing to keep");
            return;
        }
        try {
            ClipboardHolder.handOver(c.text(), Duration.ofSeconds(10));
            log.accept("handed the copied text (" + c.text().length() + " characters) to a clipboard holder");
        } catch (IOException e) {
            log.accept("could not keep the copied text on the clipboard: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
