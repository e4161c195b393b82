package dev.solo.ocr.resident;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Gives memory back after a large image: decoding a 40-megapixel picture grows the heap by hundreds of
 * megabytes, and the serial collector the launcher uses shrinks the heap only at a full collection. So
 * after a job above {@link #LARGE_PIXELS} one full collection is requested on this owned thread
 * ({@code solo-ocr-trim}), after the answer has gone out; requests that pile up meanwhile collapse into
 * one.
 */
final class MemoryTrim implements AutoCloseable {
    /** Jobs at least this large (pixels) are followed by a collection. */
    static final long LARGE_PIXELS = 4_000_000;

    private final ThreadPoolExecutor thread = new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(1),
            r -> {
                Thread t = new Thread(r, "solo-ocr-trim");
                t.setDaemon(true);
                return t;
            },
            new ThreadPoolExecutor.DiscardPolicy());

    /** Called after a job of {@code pixels}. */
    void after(long pixels) {
        if (pixels >= LARGE_PIXELS) thread.execute(System::gc);
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
