package dev.solo.ocr.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Up to {@code size} engines of one kind, each loaded once and reused, so that several pictures are
 * read at the same time: Tesseract's API is single-threaded per instance, so concurrency needs one
 * instance per worker. Engines are created on demand (the first by {@link #warm()}), never more than
 * {@code size}; a job that finds all of them busy waits for one, unless {@code maxWaiting} jobs
 * already wait, in which case it is refused at once.
 *
 * <p>Thread-safe. {@link #close()} closes the idle engines at once and the busy ones when their job
 * ends; later jobs fail.
 */
public final class EnginePool implements AutoCloseable {
    /** A job that uses one engine. */
    @FunctionalInterface
    public interface Job<T> {
        T run(OcrEngine engine) throws InterruptedException;
    }

    /** Thrown when {@code maxWaiting} jobs already wait for an engine. */
    public static final class SaturatedException extends OcrException {
        private static final long serialVersionUID = 1L;

        SaturatedException(String message) {
            super(message);
        }
    }

    private final Supplier<OcrEngine> factory;
    private final EngineSpec spec;
    private final int size;
    private final int maxWaiting;
    private final Semaphore permits;
    private final AtomicInteger waiting = new AtomicInteger();
    private final Deque<OcrEngine> idle = new ArrayDeque<>();
    private final List<OcrEngine> all = new ArrayList<>();
    private boolean closed;

    /**
     * @param factory loads one engine; may throw {@link OcrException}
     * @param spec what the engines read with
     * @param size the most engines, at least 1
     * @param maxWaiting the most jobs that wait for an engine, at least 0
     */
    public EnginePool(Supplier<OcrEngine> factory, EngineSpec spec, int size, int maxWaiting) {
        if (size < 1) throw new IllegalArgumentException("size must be >= 1, got " + size);
        if (maxWaiting < 0) throw new IllegalArgumentException("maxWaiting must be >= 0, got " + maxWaiting);
        this.factory = Objects.requireNonNull(factory, "factory");
        this.spec = Objects.requireNonNull(spec, "spec");
        this.size = size;
        this.maxWaiting = maxWaiting;
        this.permits = new Semaphore(size, true);
    }

    /** Loads the first engine now, so that a bad model or library is reported at start. */
    public EnginePool warm() {
        OcrEngine e = factory.get();
        synchronized (this) {
            all.add(e);
            idle.push(e);
        }
        return this;
    }

    public EngineSpec spec() {
        return spec;
    }

    /** The most engines. */
    public int size() {
        return size;
    }

    /** Engines loaded so far. */
    public synchronized int loaded() {
        return all.size();
    }

    /**
     * Runs {@code job} with an engine of its own.
     *
     * @throws SaturatedException when too many jobs wait already
     * @throws OcrException when the pool is closed or an engine cannot be loaded
     */
    public <T> T run(Job<T> job) throws InterruptedException {
        if (!permits.tryAcquire()) {
            if (waiting.incrementAndGet() > maxWaiting) {
                waiting.decrementAndGet();
                throw new SaturatedException("all " + size + " engines are busy and " + maxWaiting
                        + " jobs wait already; retry in a moment");
            }
            try {
                permits.acquire();
            } finally {
                waiting.decrementAndGet();
            }
        }
        OcrEngine engine = null;
        try {
            engine = take();
            return job.run(engine);
        } finally {
            if (engine != null) give(engine);
            permits.release();
        }
    }

    private OcrEngine take() {
        synchronized (this) {
            if (closed) throw new OcrException("the OCR engines were closed: the resident is shutting down");
            if (!idle.isEmpty()) return idle.pop();
        }
        OcrEngine e = factory.get(); // outside the lock: loading takes a few hundred ms
        synchronized (this) {
            all.add(e);
        }
        return e;
    }

    private void give(OcrEngine e) {
        boolean close;
        synchronized (this) {
            close = closed;
            if (!close) idle.push(e);
        }
        if (close) e.close();
    }

    @Override
    public void close() {
        List<OcrEngine> now;
        synchronized (this) {
            if (closed) return;
            closed = true;
            now = new ArrayList<>(idle);
            idle.clear();
        }
        now.forEach(OcrEngine::close);
    }

    /** Waits up to {@code millis} for every busy engine to be returned; for tests and orderly shutdown. */
    public boolean awaitIdle(long millis) throws InterruptedException {
        if (!permits.tryAcquire(size, millis, TimeUnit.MILLISECONDS)) return false;
        permits.release(size);
        return true;
    }
}
