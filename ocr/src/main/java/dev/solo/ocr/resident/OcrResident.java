package dev.solo.ocr.resident;

import dev.solo.core.ClaimResult;
import dev.solo.core.LineServer;
import dev.solo.core.Registry;
import dev.solo.core.Request;
import dev.solo.core.Response;
import dev.solo.core.SingleInstance;
import dev.solo.core.Verb;
import dev.solo.ocr.clipboard.ClipboardText;
import dev.solo.ocr.config.OcrConfig;
import dev.solo.ocr.engine.ImageText;
import dev.solo.ocr.engine.OcrEngine;
import dev.solo.ocr.engine.OcrException;
import dev.solo.ocr.hotkey.GlobalHotkey;
import dev.solo.ocr.tray.Tray;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The {@code solo ocr} resident: one loaded engine behind a {@link LineServer} with the verbs
 * {@code CLIPBOARD}, {@code STDOUT} and {@code IMAGE}, the global hotkey and the tray icon.
 *
 * <p><b>One job at a time.</b> A delegated request, an {@code IMAGE} and a hotkey press share one
 * gate: a request that finds it taken is answered {@code ERROR\nBusy, please retry}; a hotkey press
 * shows the same in the popup. Hotkey jobs run on their own thread ({@code solo-ocr-hotkey}).
 *
 * <p><b>Shutdown</b> ({@link #close()}, idempotent): hotkey and tray go first, then the server
 * answers requests in flight {@code ERROR\nshutting down}, interrupts their handlers (which closes
 * an open overlay) and releases the port and registry record; the engine is closed last.
 */
public final class OcrResident implements AutoCloseable {
    /** The service name in the registry and in {@code HELLO}. */
    public static final String SERVICE = "solo-ocr";
    /** ADR-007's busy text. */
    public static final String BUSY = "Busy, please retry";
    /** The largest image {@code IMAGE} accepts. */
    public static final int MAX_IMAGE_BYTES = 64 * 1024 * 1024;

    private final OcrEngine engine;
    private final Desktop desktop;
    private final Consumer<String> log;
    private final AtomicBoolean busy = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ExecutorService hotkeyJobs = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "solo-ocr-hotkey");
        t.setDaemon(true);
        return t;
    });
    private LineServer server;
    private GlobalHotkey hotkey;
    private Tray tray;

    private OcrResident(OcrEngine engine, Desktop desktop, Consumer<String> log) {
        this.engine = engine;
        this.desktop = desktop;
        this.log = log;
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
     * Serves on {@code claimed} with {@code engine} (already loaded), then registers the hotkey
     * and the tray icon where the desktop has them.
     *
     * @param onExit run when the user picks Exit in the tray
     * @throws dev.solo.core.ConfigException when the hotkey cannot be registered; the server is
     *     closed again and the port released
     */
    public static OcrResident start(
            SingleInstance app,
            ClaimResult.Claimed claimed,
            OcrConfig config,
            OcrEngine engine,
            Desktop desktop,
            Consumer<String> log,
            Runnable onExit) {
        OcrResident r = new OcrResident(engine, desktop, log);
        r.server = LineServer.builder(app)
                .verb(Verb.exclusive("CLIPBOARD", r::clipboard))
                .verb(Verb.exclusive("STDOUT", r::stdout))
                .verb(Verb.exclusive("IMAGE", r::image).withBody(MAX_IMAGE_BYTES))
                .start(claimed);
        if (desktop.interactive()) {
            try {
                r.hotkey = GlobalHotkey.register(config.hotkey(), r::onHotkey);
            } catch (RuntimeException e) {
                r.close();
                throw e;
            }
            String about = "Hotkey: " + config.hotkey() + "\nPort: " + r.port() + "\nEngine: " + engine.name();
            r.tray = Tray.show(about, onExit).orElse(null);
            log.accept("hotkey " + config.hotkey() + " registered; tray icon "
                    + (r.tray != null ? "shown" : "not shown (this desktop has no system tray)"));
        } else {
            log.accept(((Desktop.Headless) desktop).reason());
        }
        return r;
    }

    /** The port the resident serves on. */
    public int port() {
        return server.port();
    }

    /** The engine's name. */
    public String engineName() {
        return engine.name();
    }

    /** Blocks until the resident has closed. */
    public void awaitClose() throws InterruptedException {
        server.awaitClose();
    }

    private Response clipboard(Request request) throws InterruptedException {
        return exclusively(() -> {
            String text = desktop.selectAndRead(engine);
            ClipboardText.put(text);
            return Response.ok();
        });
    }

    private Response stdout(Request request) throws InterruptedException {
        return exclusively(() -> Response.success(desktop.selectAndRead(engine)));
    }

    private Response image(Request request) throws InterruptedException {
        return exclusively(() -> {
            ImageText result = ImageText.read(request.body(), "the IMAGE body", engine);
            return Response.success(request.args().strip().equals("json") ? result.toJson() : result.text());
        });
    }

    private interface Job {
        Response run() throws InterruptedException;
    }

    private Response exclusively(Job job) throws InterruptedException {
        if (!busy.compareAndSet(false, true)) return Response.error(BUSY);
        try {
            return job.run();
        } catch (OcrException e) {
            return Response.error(e.getMessage());
        } finally {
            busy.set(false);
        }
    }

    /** The hotkey was pressed: select, read and copy on the hotkey thread, or say busy. */
    void onHotkey() {
        if (closed.get()) return;
        if (!busy.compareAndSet(false, true)) {
            desktop.notice(BUSY);
            return;
        }
        try {
            hotkeyJobs.execute(() -> {
                try {
                    String text = desktop.selectAndRead(engine);
                    ClipboardText.put(text);
                    log.accept("hotkey: copied " + text.length() + " characters");
                } catch (OcrException e) {
                    log.accept("hotkey: " + e.getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    busy.set(false);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            busy.set(false);
        }
    }

    /** Stops hotkey, tray and server, then the engine; idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        Optional.ofNullable(hotkey).ifPresent(GlobalHotkey::close);
        Optional.ofNullable(tray).ifPresent(Tray::close);
        hotkeyJobs.shutdownNow();
        if (server != null) server.close();
        engine.close();
    }
}
