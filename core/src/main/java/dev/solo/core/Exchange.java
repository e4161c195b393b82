package dev.solo.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One client connection served on a blocking thread, after the front door handed it over (TCP) or as
 * accepted (the same-user socket). The final answer is written at most once: by the handler's thread,
 * by the {@link Sweeper} when a read deadline passes, or by shutdown.
 *
 * <p>On the same-user socket every answer starts with the resident's identity line ({@link
 * #greeting}). It goes out together with the answer when the handler is quick, or alone as soon as
 * the sweeper sees a handler run for longer than {@link Sweeper#GREET_AFTER_NANOS}: the client waits
 * only a short time for that first line, so a stopped resident is told from a slow job.
 */
final class Exchange {
    /** How long, in all, a connection is drained after an error answer before it is closed. */
    static final int LINGER_MILLIS = 1000;
    /** How much is drained at most: enough for a refused body of the largest payload. */
    static final long LINGER_BYTES = 17L * 1024 * 1024;

    private static final byte[] NOTHING = new byte[0];
    private static final byte[] SUCCESS_LINE = "SUCCESS\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    final SocketChannel channel;
    private final Sweeper sweeper;
    private final Greeting greeting;
    private final int ioMillis;
    /** Guards the writes. The sweeper only ever tries it, so a stalled write never stalls the sweeper. */
    private final ReentrantLock writing = new ReentrantLock();

    private boolean answered;
    private boolean greeted;
    /** {@code System.nanoTime()} by which the current read or write must finish; 0: none. */
    volatile long deadline;
    /** What to answer when a read misses its deadline; {@code null} for a write (just close). */
    private volatile String timeoutAnswer;
    /** The line a read waits for ("request line"), or {@code null}; its answer is built only on timeout. */
    private volatile String awaitedLine;

    private volatile int awaitedMillis;
    /** When the handler started ({@code System.nanoTime()}, never 0), or 0 while none runs. */
    volatile long handlerSince;
    /** Watches for the client's end while a handler runs, or {@code null}. */
    private volatile ClientWatch watch;
    /** Whether the answer was an error that may have left client input unread. */
    private volatile boolean errorAnswered;

    /** Makes the identity line that starts every answer on the same-user socket. */
    interface Greeting {
        /** The line, announcing {@code answerLength} bytes of answer after it (-1: unknown, ends at close). */
        byte[] line(long answerLength);
    }

    /**
     * @param greeting the same-user socket's identity line, or {@code null} over TCP
     */
    Exchange(SocketChannel channel, Sweeper sweeper, Greeting greeting, int ioMillis) {
        this.channel = channel;
        this.sweeper = sweeper;
        this.greeting = greeting;
        this.ioMillis = ioMillis;
        sweeper.add(this);
    }

    void expect(int millis, String answerOnTimeout) {
        timeoutAnswer = answerOnTimeout;
        awaitedLine = null;
        deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis) | 1; // never 0
    }

    /** A deadline for reading the line {@code what}; on timeout it is answered "no &lt;what&gt; within …". */
    void expectLine(int millis, String what) {
        timeoutAnswer = null;
        awaitedMillis = millis;
        awaitedLine = what;
        deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis) | 1;
    }

    /** What to answer now that the deadline passed, or {@code null} to just close. */
    String timeoutAnswer() {
        String line = awaitedLine;
        if (line != null) return "no " + line + " within " + awaitedMillis + " ms; lines end with \\n";
        return timeoutAnswer;
    }

    void clearDeadline() {
        deadline = 0;
    }

    /** A handler starts: returns what tells it that its client has gone. */
    Cancellation handlerStarted() {
        ClientWatch w = new ClientWatch(channel);
        watch = w;
        handlerSince = System.nanoTime() | 1;
        return w.cancellation;
    }

    /** The handler has returned: the watch ends and the channel blocks again, before the answer. */
    void handlerEnded() {
        handlerSince = 0;
        ClientWatch w = watch;
        watch = null;
        if (w != null) w.end();
    }

    /**
     * From the sweeper, for a handler that has run a while: looks whether its client has gone. On the
     * same-user socket only once the greeting is out, so no write ever meets a non-blocking channel.
     */
    void watchClient() {
        ClientWatch w = watch;
        if (w != null && (greeting == null || greeted)) w.poll();
    }

    /**
     * On the same-user socket, from the sweeper: sends the identity line now if nothing was sent yet
     * and no other write is under way.
     */
    void greetNow() {
        if (greeting == null || !writing.tryLock()) return;
        try {
            if (greeted || answered) return;
            greeted = true;
            writeTimed(greeting.line(-1)); // the answer's length is not known yet: it ends at close
        } catch (IOException e) {
            close();
        } finally {
            writing.unlock();
        }
    }

    /** Writes the final answer and half-closes, once; later calls do nothing. */
    void respond(byte[] bytes) {
        writing.lock();
        try {
            answer(bytes);
        } finally {
            writing.unlock();
        }
    }

    /** {@link #respond} from the sweeper: gives up rather than wait for a write under way. */
    void respondIfIdle(byte[] bytes) {
        if (!writing.tryLock()) return;
        try {
            answer(bytes);
        } finally {
            writing.unlock();
        }
    }

    private void answer(byte[] bytes) {
        if (answered) return;
        answered = true;
        errorAnswered = bytes.length > 0 && bytes[0] == 'E';
        try {
            writeTimed(withGreeting(bytes));
            channel.shutdownOutput();
        } catch (IOException e) {
            // the client left before its answer
        }
    }

    /** {@code SUCCESS\n<payload>} as the final answer, in one gathering write (no copy of the payload). */
    void respondSuccess(byte[] payload) {
        writing.lock();
        try {
            if (answered) return;
            answered = true;
            ByteBuffer[] parts = {
                ByteBuffer.wrap(
                        greeting != null && !greeted
                                ? greeting.line(SUCCESS_LINE.length + (long) payload.length)
                                : NOTHING),
                ByteBuffer.wrap(SUCCESS_LINE),
                ByteBuffer.wrap(payload)
            };
            greeted = true;
            expect(ioMillis, null);
            try {
                long left = parts[0].remaining() + parts[1].remaining() + (long) parts[2].remaining();
                while (left > 0) left -= channel.write(parts);
                // No shutdownOutput: the whole request was read, so the close that follows at once ends
                // the stream cleanly; one system call fewer on every request.
            } finally {
                clearDeadline();
            }
        } catch (IOException e) {
            // the client left before its answer
        } finally {
            writing.unlock();
        }
    }

    private byte[] withGreeting(byte[] bytes) {
        if (greeting == null || greeted) return bytes;
        greeted = true;
        byte[] line = greeting.line(bytes.length);
        byte[] out = new byte[line.length + bytes.length];
        System.arraycopy(line, 0, out, 0, line.length);
        System.arraycopy(bytes, 0, out, line.length, bytes.length);
        return out;
    }

    private void writeTimed(byte[] bytes) throws IOException {
        expect(ioMillis, null);
        try {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) channel.write(buf);
        } finally {
            clearDeadline();
        }
    }

    /**
     * Closes the connection. After an {@code ERROR} it first reads what the client still sends, for at
     * most {@link #LINGER_MILLIS} and {@link #LINGER_BYTES} in all: closing a socket with unread input
     * makes the kernel send a reset, and a reset can destroy the answer before the client reads it (a
     * client that sent an over-long line, a whole HTTP request, or a body the verb refused would see
     * "connection reset" instead of our {@code ERROR}). After a {@code SUCCESS}, {@code PONG} or {@code
     * HELLO} the whole request was read, so it closes at once; and during shutdown too.
     */
    void lingeringClose(InputStream in, boolean shuttingDown) {
        if (errorAnswered && !shuttingDown && in != null && channel.isOpen()) {
            expect(LINGER_MILLIS, null); // the sweeper closes the channel at the deadline
            try {
                byte[] sink = new byte[64 * 1024];
                long drained = 0;
                while (drained < LINGER_BYTES) {
                    int r = in.read(sink);
                    if (r < 0) break;
                    drained += r;
                }
            } catch (IOException closedOrReset) {
                // the deadline closed it, or the client went away
            }
        }
        close();
    }

    void close() {
        sweeper.remove(this);
        try {
            channel.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
