package dev.solo.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Tells a {@link Verb.Handler} that its client has gone while the handler still works: the client
 * closed its connection, its process died (the kernel closes its sockets), or it gave up waiting. As
 * gRPC's {@code ServerCallStreamObserver} does with {@code isCancelled()} and {@code setOnCancelHandler},
 * a handler may ask ({@link #isCancelled()}) or be called back ({@link #onCancel(Runnable)}); one that
 * does neither runs exactly as it would without this, and nothing watches its connection.
 *
 * <p><b>When.</b> The resident watches a connection once its handler has asked (either method) and
 * has run for 50 ms; from then on it notices the client's end (the end of its stream, or a reset)
 * within one tick of the resident's deadline sweeper (at most 250 ms, 10 ms with the same-user socket),
 * on TCP and on the same-user socket alike, with no thread per connection and nothing sent to the
 * client. Like Netty's default ({@code ALLOW_HALF_CLOSURE} off), a client that shuts its output down
 * while it waits for the answer counts as gone: the protocol's clients keep their side open until they
 * have read the answer. A client that sends bytes after its request is not taken as gone (they are
 * read and dropped).
 *
 * <p><b>Once the handler has returned</b> (or thrown) nothing is signalled any more, and no action runs
 * later: an action either has run completely before the handler's connection is answered, or never
 * runs. An action that interrupts the handler's own thread is the intended use (an {@code
 * InterruptedException} then ends a blocking wait); the server clears that interrupt once the handler
 * has returned, so it never reaches the next request the thread serves.
 *
 * <p>Thread-safe.
 */
public final class Cancellation {
    private static final Cancellation NEVER = new Cancellation(true);

    private final Object lock = new Object();
    /** Guarded by {@code lock}; made by the first {@link #onCancel}, dropped once ended or cancelled. */
    private List<Runnable> actions;

    private boolean ended;
    private volatile boolean cancelled;
    private volatile boolean asked;

    Cancellation() {
        this(false);
    }

    private Cancellation(boolean ended) {
        this.ended = ended;
    }

    /** A cancellation that never happens: for requests made outside a server, as in tests. */
    public static Cancellation never() {
        return NEVER;
    }

    /** Whether the client has gone; asking starts the watch (see the class comment). */
    public boolean isCancelled() {
        asked = true;
        return cancelled;
    }

    /**
     * Runs {@code action} once when the client goes, on the resident's deadline thread; at once on this
     * thread when it has gone already; never once the handler has returned. The action must not block:
     * interrupt a thread, complete a future, close a window. An exception it throws is logged and
     * ignored. Starts the watch (see the class comment).
     */
    public void onCancel(Runnable action) {
        Objects.requireNonNull(action, "action");
        asked = true;
        synchronized (lock) {
            if (ended) return;
            if (!cancelled) {
                if (actions == null) actions = new ArrayList<>(1);
                actions.add(action);
                return;
            }
        }
        run(action);
    }

    /** Whether a handler has asked, so its connection is worth watching. */
    boolean asked() {
        return asked;
    }

    /** Whether the client has gone, without starting a watch. */
    boolean cancelledQuietly() {
        return cancelled;
    }

    /** The client has gone: signals it and runs the actions, unless the handler has already returned. */
    void cancel() {
        synchronized (lock) { // held while the actions run, so end() waits for them
            if (ended || cancelled) return;
            cancelled = true;
            List<Runnable> todo = actions;
            actions = null;
            if (todo != null) for (Runnable r : todo) run(r);
        }
    }

    /** The handler has returned: nothing is signalled or run after this returns. */
    void end() {
        synchronized (lock) {
            ended = true;
            actions = null;
        }
    }

    private static void run(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException | Error e) {
            System.getLogger(LineServer.class.getName())
                    .log(System.Logger.Level.WARNING, "an action on a client's departure failed", e);
        }
    }
}
