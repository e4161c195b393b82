package dev.solo.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.Arrays;

/**
 * A resident's input from one blocking connection: its own buffer straight over the channel, with
 * the bytes the front door already read in front. Not thread-safe: one connection, one thread (and no
 * lock per byte, unlike a {@code BufferedInputStream} over {@code Channels.newInputStream}). Closing
 * it does nothing: the {@link Exchange} closes the channel.
 */
final class ChannelInput extends InputStream {
    private final ReadableByteChannel channel;
    private final byte[] buf;
    private final ByteBuffer window;
    private int pos;
    private int len;

    /** @param rest bytes read from the connection before, to be read first */
    ChannelInput(ReadableByteChannel channel, byte[] rest) {
        this.channel = channel;
        this.buf = Arrays.copyOf(rest, Math.max(rest.length, 512));
        this.window = ByteBuffer.wrap(buf);
        this.len = rest.length;
    }

    @Override
    public int read() throws IOException {
        if (pos == len && !fill()) return -1;
        return buf[pos++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int n) throws IOException {
        if (n == 0) return 0;
        if (pos == len) {
            if (n >= buf.length) return channel.read(ByteBuffer.wrap(b, off, n)); // a large body: no copy
            if (!fill()) return -1;
        }
        int k = Math.min(n, len - pos);
        System.arraycopy(buf, pos, b, off, k);
        pos += k;
        return k;
    }

    @Override
    public int available() {
        return len - pos;
    }

    @Override
    public void close() {
        // the Exchange closes the channel
    }

    private boolean fill() throws IOException {
        window.clear();
        int r = channel.read(window);
        pos = 0;
        len = Math.max(r, 0);
        return r > 0;
    }
}
