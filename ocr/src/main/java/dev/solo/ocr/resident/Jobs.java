package dev.solo.ocr.resident;

import dev.solo.core.Request;
import dev.solo.core.Response;
import dev.solo.ocr.clipboard.ClipboardText;
import dev.solo.ocr.engine.EnginePool;
import dev.solo.ocr.engine.ImageText;
import dev.solo.ocr.engine.OcrException;
import dev.solo.ocr.engine.Reading;
import dev.solo.ocr.engine.Recognizer;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * What the resident's verbs and its hotkey do: the jobs of {@link OcrResident}, apart from its lifecycle.
 *
 * <p>Image jobs ({@code IMAGE}) run concurrently, each on an engine of the pool. Only the selection
 * overlay is exclusive: a delegated {@code CLIPBOARD}/{@code STDOUT} and a hotkey press share one gate,
 * and one that finds it taken is answered {@link OcrResident#BUSY} (a hotkey press shows that in a popup).
 * A delegated selection whose client goes away is closed at once, as Esc would ({@link
 * dev.solo.core.Cancellation}), so a forgotten overlay never keeps the gate; an image job whose client
 * goes leaves the engines' queue, and an llm engine's request is cancelled.
 * Hotkey jobs run on their own thread ({@code solo-ocr-hotkey}), ended by {@link #close()}. Each verb's
 * arguments may name the engine and its settings ({@link JobArgs}); a job whose settings this resident
 * does not read with is answered an error instead of a different text.
 */
final class Jobs implements AutoCloseable {
    /** The answer of a selection whose client went away (only a client that half-closed reads it). */
    static final String CLIENT_GONE = "cancelled: the client went away while its selection was open";

    /** The answer of an image job whose client went away. */
    static final String IMAGE_CLIENT_GONE = "cancelled: the client went away while its image was read";

    private final EnginePool pool;
    private final Desktop desktop;
    private final Consumer<String> log;
    private final long maxPixels;
    private final Recognizer recognizer;
    private final AtomicBoolean overlay = new AtomicBoolean();
    private final BooleanSupplier closing;
    private final MemoryTrim trim = new MemoryTrim();
    private final ExecutorService hotkeyJobs = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "solo-ocr-hotkey");
        t.setDaemon(true);
        return t;
    });
    private volatile ClipboardText copied;

    /** @param closing whether the resident is closing: a hotkey press then starts nothing */
    Jobs(EnginePool pool, Desktop desktop, Consumer<String> log, long maxPixels, BooleanSupplier closing) {
        this.pool = pool;
        this.closing = closing;
        this.desktop = desktop;
        this.log = log;
        this.maxPixels = maxPixels;
        this.recognizer = image -> {
            Reading r = pool.run(engine -> Reading.of(image, engine));
            trim.after((long) image.getWidth() * image.getHeight());
            return r;
        };
    }

    /** The text this resident last put on the clipboard, or {@code null}. */
    ClipboardText copied() {
        return copied;
    }

    Response clipboard(Request request) throws InterruptedException {
        return selection(request, text -> {
            copied = ClipboardText.put(text);
            return Response.ok();
        });
    }

    Response stdout(Request request) throws InterruptedException {
        return selection(request, Response::success);
    }

    private interface Answer {
        Response of(String text);
    }

    private Response selection(Request request, Answer answer) throws InterruptedException {
        String refused = refusal(request);
        if (refused != null) return Response.error(refused);
        if (!overlay.compareAndSet(false, true)) return Response.error(OcrResident.BUSY);
        // A client that goes (Ctrl-C, a closed terminal, kill -9, its wait ended) takes its job with it:
        // the interrupt closes the overlay as Esc does (or stops the OCR), and the gate is free again.
        request.cancellation().onCancel(Thread.currentThread()::interrupt);
        try {
            return answer.of(desktop.selectAndRead(recognizer));
        } catch (InterruptedException e) {
            if (!request.cancellation().isCancelled()) throw e;
            log.accept(request.verb() + ": the client went away; its selection was closed");
            return Response.error(CLIENT_GONE);
        } catch (OcrException e) {
            return Response.error(e.getMessage());
        } finally {
            overlay.set(false);
        }
    }

    Response image(Request request) throws InterruptedException {
        String refused = refusal(request);
        if (refused != null) return Response.error(refused);
        // A client that goes takes its job with it: the interrupt ends a wait for a free engine and
        // cancels an llm engine's request (Tesseract's own recognition cannot be stopped; its result is
        // dropped).
        request.cancellation().onCancel(Thread.currentThread()::interrupt);
        try {
            ImageText result = ImageText.read(
                    request.body(), "the IMAGE body", maxPixels, pool.spec().engine(), recognizer);
            return Response.success(JobArgs.parse(request.args()).json() ? result.toJson() : result.text());
        } catch (InterruptedException e) {
            if (!request.cancellation().isCancelled()) throw e;
            log.accept("IMAGE: the client went away; its OCR was stopped");
            return Response.error(IMAGE_CLIENT_GONE);
        } catch (EnginePool.SaturatedException e) {
            return Response.error(OcrResident.BUSY);
        } catch (OcrException e) {
            return Response.error(e.getMessage());
        }
    }

    /** Why this resident cannot do what the request's arguments ask, or {@code null}. */
    private String refusal(Request request) {
        try {
            return JobArgs.parse(request.args()).mismatch(pool.spec());
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /** The hotkey was pressed: select, read and copy on the hotkey thread, or say busy. */
    void onHotkey() {
        if (closing.getAsBoolean()) return;
        if (!overlay.compareAndSet(false, true)) {
            desktop.busy(OcrResident.BUSY);
            return;
        }
        try {
            hotkeyJobs.execute(() -> {
                try {
                    String text = desktop.selectAndRead(recognizer);
                    copied = ClipboardText.put(text);
                    log.accept("hotkey: copied " + text.length() + " characters");
                } catch (OcrException e) {
                    log.accept("hotkey: " + e.getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    overlay.set(false);
                }
            });
        } catch (RejectedExecutionException e) {
            overlay.set(false);
        }
    }

    /** Takes no more hotkey jobs and interrupts the one running; idempotent. */
    void stopHotkeyJobs() {
        hotkeyJobs.shutdownNow();
    }

    /** Stops the hotkey jobs and the memory trim; the engines are the pool's owner's to close. */
    @Override
    public void close() {
        stopHotkeyJobs();
        trim.close();
    }
}
