package dev.solo.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Watches one connection for its client's end while the connection's handler runs, and tells the
 * handler through its {@link Cancellation}. Works alike for TCP and the same-user socket.
 *
 * <p><b>How.</b> The {@link Sweeper} calls {@link #poll} every tick for a handler that has asked and run
 * for a while. The first poll switches the channel to non-blocking (the handler's thread does no I/O on
 * it while the handler runs), and each poll then reads what is there without waiting: the end of the
 * stream or a reset means the client has gone; bytes are dropped. {@link #end}, on the handler's thread
 * once the handler has returned, switches the channel back to blocking for the answer. So no thread
 * waits per connection, and no selector: a channel registered with one may not block again until that
 * selector's thread has deregistered it, a hand-off on every watched answer. The price is a read per
 * watched connection per tick, and a signal up to one tick late.
 *
 * <p>{@link #poll} runs on the sweeper's thread only and never waits for the handler's thread.
 */
final class ClientWatch {
    /** At most this many bytes a client sends after its request are dropped per tick. */
    private static final int DRAIN_PER_POLL = 64 * 1024;

    final Cancellation cancellation = new Cancellation();
    private final SocketChannel channel;
    private final ReentrantLock lock = new ReentrantLock();
    /** Whether the channel is non-blocking for the watch; guarded by {@code lock}. */
    private boolean watching;
    /** Whether the handler has returned; guarded by {@code lock}. */
    private boolean ended;

    private ByteBuffer sink;

    ClientWatch(SocketChannel channel) {
        this.channel = channel;
    }

    /** From the sweeper: looks whether the client has gone, and if so cancels. */
    void poll() {
        if (!cancellation.asked() || cancellation.cancelledQuietly() || !lock.tryLock()) return;
        boolean gone = false;
        try {
            if (ended) return;
            if (!watching) {
                channel.configureBlocking(false);
                watching = true;
                sink = ByteBuffer.allocate(4096);
            }
            int drained = 0;
            int r;
            do {
                sink.clear();
                r = channel.read(sink);
                drained += Math.max(r, 0);
            } while (r > 0 && drained < DRAIN_PER_POLL);
            gone = r < 0;
        } catch (IOException e) {
            gone = true; // reset by the client, or closed by the resident's shutdown
        } finally {
            lock.unlock();
        }
        if (gone) cancellation.cancel();
    }

    /** From the handler's thread once the handler has returned: no signal after this; blocking again. */
    void end() {
        cancellation.end();
        lock.lock();
        try {
            ended = true;
            if (watching) channel.configureBlocking(true);
        } catch (IOException e) {
            // closed meanwhile: the answer's write fails as it would have
        } finally {
            lock.unlock();
        }
    }
}
