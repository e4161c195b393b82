package dev.solo.core;

import dev.solo.core.internal.LineCodec;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * One connection at the {@link FrontDoor}: its first line read without a worker, {@code PING} and
 * {@code HELLO} answered, {@code AUTH} checked, and then handed off, answered or closed. All state is
 * confined to the door's selector thread.
 */
final class DoorConnection {
    enum Phase {
        FIRST,
        AFTER_HELLO,
        AWAIT_USER,
        WRITING,
        LINGER,
        HANDED
    }

    /** What follows a reply once it is written. */
    enum After {
        CLOSE,
        LINGER,
        AFTER_HELLO
    }

    private final FrontDoor door;
    final SocketChannel ch;
    final InetSocketAddress remote;
    final InetSocketAddress local;
    SelectionKey key;
    Phase phase = Phase.FIRST;
    final long since = System.nanoTime();
    long deadline;
    byte[] buf = new byte[256];
    int len;
    int scanned;
    int uid = FrontDoor.UNRESOLVED;
    String rawLine;
    String rawRefusal;
    String verbLine;
    ByteBuffer out;
    After after;
    long lingered;

    DoorConnection(FrontDoor door, SocketChannel ch, InetSocketAddress remote, InetSocketAddress local) {
        this.door = door;
        this.ch = ch;
        this.remote = remote;
        this.local = local;
        this.deadline = since + TimeUnit.MILLISECONDS.toNanos(door.firstLineMillis);
    }

    /** Handles readiness; also called right after accept, when no readiness is known yet. */
    void ready(SelectionKey k) {
        try {
            if (!k.isValid()) return;
            if (out != null && (k.readyOps() & SelectionKey.OP_WRITE) != 0) flush();
            if (k.isValid() && (k.interestOps() & SelectionKey.OP_READ) != 0) read();
        } catch (IOException e) {
            drop();
        }
    }

    private void read() throws IOException {
        if (phase == Phase.LINGER) {
            int r = ch.read(ByteBuffer.wrap(buf));
            if (r < 0 || (lingered += r) > Exchange.LINGER_BYTES) drop();
            return;
        }
        if (len == buf.length) {
            buf = Arrays.copyOf(buf, Math.min(buf.length * 2, LineCodec.MAX_LINE + 2));
        }
        int r = ch.read(ByteBuffer.wrap(buf, len, buf.length - len));
        if (r < 0) {
            if (len == 0) {
                drop();
            } else {
                reply(
                        LineCodec.error(
                                "malformed line: the stream ended inside a line (no \\n after " + len + " bytes)"),
                        After.CLOSE);
            }
            return;
        }
        len += r;
        lines();
    }

    /** Handles every complete line in the buffer while the connection still reads lines. */
    private void lines() {
        while (phase == Phase.FIRST || phase == Phase.AFTER_HELLO) {
            int nl = -1;
            for (int i = scanned; i < len; i++) {
                byte b = buf[i];
                if (b == '\n') {
                    nl = i;
                    break;
                }
                if (b == 0) {
                    reply(LineCodec.error("malformed line: NUL byte in line"), After.LINGER);
                    return;
                }
            }
            if (nl < 0) {
                scanned = len;
                if (len >= LineCodec.MAX_LINE + 2) {
                    reply(LineCodec.error("line longer than " + LineCodec.MAX_LINE + " bytes"), After.LINGER);
                }
                return;
            }
            int n = nl > 0 && buf[nl - 1] == '\r' ? nl - 1 : nl;
            String line;
            try {
                if (n > LineCodec.MAX_LINE) {
                    reply(LineCodec.error("line longer than " + LineCodec.MAX_LINE + " bytes"), After.LINGER);
                    return;
                }
                line = LineCodec.decode(buf, 0, n);
            } catch (LineCodec.MalformedLineException e) {
                reply(LineCodec.error("malformed line: " + e.getMessage()), After.LINGER);
                return;
            }
            System.arraycopy(buf, nl + 1, buf, 0, len - nl - 1);
            len -= nl + 1;
            scanned = 0;
            handle(line);
        }
    }

    private void handle(String line) {
        LineCodec.First first = LineCodec.parseFirst(line);
        if (phase == Phase.AFTER_HELLO && !(first instanceof LineCodec.Auth)) {
            reply(
                    LineCodec.error("after HELLO only AUTH <token> may follow, got " + LineCodec.abbreviate(line)),
                    After.LINGER);
        } else if (first instanceof LineCodec.Ping) {
            reply((LineCodec.PONG + "\n").getBytes(StandardCharsets.US_ASCII), After.CLOSE);
        } else if (first instanceof LineCodec.Hello hello) {
            byte[] answer;
            try {
                answer = door.server.helloAnswer(hello.nonce());
            } catch (RuntimeException e) {
                reply(LineCodec.error(String.valueOf(e.getMessage())), After.LINGER);
                return;
            }
            // A client that trusts the proof may go on with AUTH on this connection.
            reply(answer, After.AFTER_HELLO);
        } else if (first instanceof LineCodec.Auth auth) {
            String refusal = door.server.checkToken(auth.token());
            if (refusal == null) {
                handOff(null);
            } else {
                reply(LineCodec.error(refusal), After.LINGER);
            }
        } else {
            LineCodec.Rejected r = (LineCodec.Rejected) first;
            if (r.verb() != null && door.peers.available() && door.dispatcher.rawAllowed(r.verb())) {
                phase = Phase.AWAIT_USER; // one look at the kernel's table after this round
                rawLine = line;
                rawRefusal = r.reason();
                key.interestOps(0);
                door.awaitingUser.add(this);
            } else {
                reply(LineCodec.error(r.reason()), After.LINGER);
            }
        }
    }

    void handOff(String verbLine) {
        this.verbLine = verbLine;
        phase = Phase.HANDED;
        door.held.remove(this);
        key.cancel();
        door.handOffs.add(this);
    }

    void reply(byte[] bytes, After next) {
        out = ByteBuffer.wrap(bytes);
        after = next;
        phase = Phase.WRITING;
        deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(door.ioMillis);
        try {
            flush();
        } catch (IOException e) {
            drop();
        }
    }

    private void flush() throws IOException {
        if (out == null) return;
        ch.write(out);
        if (out.hasRemaining()) {
            key.interestOps(SelectionKey.OP_WRITE);
            return;
        }
        out = null;
        long now = System.nanoTime();
        switch (after) {
            case CLOSE -> drop();
            case LINGER -> {
                // Read what the client still sends before closing: a close with unread input resets
                // the connection, and the reset can destroy the answer (see Exchange.lingeringClose).
                ch.shutdownOutput();
                phase = Phase.LINGER;
                lingered = len;
                deadline = now + TimeUnit.MILLISECONDS.toNanos(Exchange.LINGER_MILLIS);
                key.interestOps(SelectionKey.OP_READ);
            }
            case AFTER_HELLO -> {
                phase = Phase.AFTER_HELLO;
                deadline = now + TimeUnit.MILLISECONDS.toNanos(door.firstLineMillis);
                door.held.remove(this); // to the back: the order stays oldest deadline first
                door.held.add(this);
                key.interestOps(SelectionKey.OP_READ);
                lines();
            }
        }
    }

    void timedOut() {
        if (phase == Phase.FIRST || phase == Phase.AWAIT_USER) {
            writeQuietly(
                    ch, LineCodec.error("no request line within " + door.firstLineMillis + " ms; lines end with \\n"));
        } else if (phase == Phase.AFTER_HELLO) {
            writeQuietly(
                    ch,
                    LineCodec.error(
                            "no AUTH line after HELLO within " + door.firstLineMillis + " ms; lines end with \\n"));
        }
        drop();
    }

    /** Closes this connection with a short {@code ERROR}, without waiting: it is over a cap. */
    void refuse(String message) {
        writeQuietly(ch, LineCodec.error(message));
        drop();
    }

    void drop() {
        door.held.remove(this);
        if (key != null) key.cancel();
        closeQuietly(ch);
    }

    static void writeQuietly(SocketChannel ch, byte[] bytes) {
        try {
            ch.write(ByteBuffer.wrap(bytes)); // best effort: a short answer fits any socket buffer
        } catch (IOException | RuntimeException ignored) {
            // the client left
        }
    }

    static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
