package dev.solo.ocr.resident;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Gives memory back after a large image: decoding a 40-megapixel picture grows the heap by hundreds of
 * megabytes, and the serial collector the launcher uses shrinks the heap only at full collections,
 * and then in steps (none at the first, then 10 %, 40 %, all of the excess: {@code ShrinkHeapInSteps}).
 * So after a job above {@link #LARGE_PIXELS} this owned thread ({@code solo-ocr-trim}) lowers the
 * heap's free-ratio targets (manageable flags; ignored where the JVM refuses) and requests
 * {@value #COLLECTIONS} full collections in a row, after the answer has gone out. Requests that pile
 * up meanwhile collapse into one. A full collection of a nearly empty heap takes tens of milliseconds.
 */
final class MemoryTrim implements AutoCloseable {
    /** Jobs at least this large (pixels) are followed by a collection. */
    static final long LARGE_PIXELS = 4_000_000;
    /** Full collections per trim: enough for the serial collector's shrink steps to reach 100 %. */
    static final int COLLECTIONS = 4;

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
        if (pixels >= LARGE_PIXELS) thread.execute(MemoryTrim::trim);
    }

    private static void trim() {
        lowerFreeRatios();
        for (int i = 0; i < COLLECTIONS; i++) System.gc(); // an explicit, bounded request: see the class comment
    }

    /** Keeps at most 20 % of the heap free after a collection (the default allows 70 %). */
    private static void lowerFreeRatios() {
        try {
            var bean = java.lang.management.ManagementFactory.getPlatformMXBean(
                    com.sun.management.HotSpotDiagnosticMXBean.class);
            bean.setVMOption("MinHeapFreeRatio", "10");
            bean.setVMOption("MaxHeapFreeRatio", "20");
        } catch (RuntimeException | LinkageError e) {
            // another JVM, or flags not manageable here: the collections alone still shrink the heap
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
