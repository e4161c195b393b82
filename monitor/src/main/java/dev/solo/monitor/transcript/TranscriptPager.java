package dev.solo.monitor.transcript;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a JSON Lines file a page at a time by byte offset, never whole: a 50 MB transcript costs the
 * bytes of one page. Offsets are line starts, so a page can resume exactly where the last one ended,
 * forwards ({@link #forward}, to follow a file as Claude Code appends to it) or backwards ({@link
 * #backward}, to show the newest entries first and scroll up).
 *
 * <p>A last line without its newline is being written: it is left out, and the page ends before it.
 * A line longer than {@link #MAX_LINE} bytes is returned as {@link Line#tooLong()} (its text not read).
 */
public final class TranscriptPager {
    /** The longest line read; longer ones are skipped with a marker. */
    public static final int MAX_LINE = 16 * 1024 * 1024;

    private TranscriptPager() {}

    /** One line of the file: where it starts, and its text (null when over {@link #MAX_LINE}). */
    public record Line(long offset, String text) {
        public boolean tooLong() {
            return text == null;
        }
    }

    /**
     * A page: its lines in file order, the byte range {@code [start, end)} they cover, and the file's
     * size when read. {@code start == 0}: nothing before; {@code end == size}: nothing complete after.
     */
    public record Page(List<Line> lines, long start, long end, long size) {
        public boolean atStart() {
            return start == 0;
        }

        public boolean atEnd() {
            return end >= size;
        }
    }

    /** The complete lines from {@code from} (a line start) on, about {@code maxBytes} of them (at least one). */
    public static Page forward(Path file, long from, int maxBytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            long start = Math.max(0, Math.min(from, size));
            List<Line> lines = new ArrayList<>();
            long pos = start;
            if (pos < size) {
                byte[] chunk = read(ch, pos, (int) Math.min(maxBytes, size - pos));
                int lineStart = 0;
                for (int i = 0; i < chunk.length; i++) {
                    if (chunk[i] != '\n') continue;
                    lines.add(new Line(
                            pos + lineStart, new String(chunk, lineStart, i - lineStart, StandardCharsets.UTF_8)));
                    lineStart = i + 1;
                }
                if (lines.isEmpty()) { // one line longer than the chunk
                    long nl = find(ch, pos, size);
                    if (nl >= 0) {
                        lines.add(line(ch, pos, nl));
                        return new Page(lines, start, nl + 1, size);
                    }
                }
                pos += lineStart;
            }
            return new Page(lines, start, pos, size);
        }
    }

    /** The complete lines that end before {@code before} (a line start, or the size), about {@code maxBytes}. */
    public static Page backward(Path file, long before, int maxBytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            long end = Math.max(0, Math.min(before, size));
            // a partial last line (no newline yet) is not part of any page
            if (end == size && end > 0 && read(ch, end - 1, 1)[0] != '\n') end = lineStart(ch, end);
            if (end == 0) return new Page(List.of(), 0, 0, size);
            long from = Math.max(0, end - maxBytes);
            byte[] chunk = read(ch, from, (int) (end - from));
            int first = 0;
            if (from > 0) {
                first = -1;
                for (int i = 0; i < chunk.length - 1; i++) {
                    if (chunk[i] == '\n') {
                        first = i + 1;
                        break;
                    }
                }
                if (first < 0) { // one line longer than the chunk
                    long start = lineStart(ch, end - 1);
                    return new Page(List.of(line(ch, start, end - 1)), start, end, size);
                }
            }
            List<Line> lines = new ArrayList<>();
            int lineStart = first;
            for (int i = first; i < chunk.length; i++) {
                if (chunk[i] != '\n') continue;
                lines.add(new Line(
                        from + lineStart, new String(chunk, lineStart, i - lineStart, StandardCharsets.UTF_8)));
                lineStart = i + 1;
            }
            return new Page(lines, from + first, end, size);
        }
    }

    private static byte[] read(FileChannel ch, long pos, int len) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(len);
        while (buf.hasRemaining()) {
            if (ch.read(buf, pos + buf.position()) < 0) break;
        }
        return buf.position() == len ? buf.array() : java.util.Arrays.copyOf(buf.array(), buf.position());
    }

    /** The offset of the first newline at or after {@code pos}, or -1 when there is none before {@code size}. */
    private static long find(FileChannel ch, long pos, long size) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(1 << 20);
        long at = pos;
        while (at < size) {
            buf.clear();
            int n = ch.read(buf, at);
            if (n <= 0) break;
            for (int i = 0; i < n; i++) if (buf.get(i) == '\n') return at + i;
            at += n;
        }
        return -1;
    }

    /** The start of the line that holds byte {@code pos} (searching back to the previous newline). */
    private static long lineStart(FileChannel ch, long pos) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        long end = pos; // exclusive upper bound of what is left to scan
        while (end > 0) {
            long from = Math.max(0, end - buf.capacity());
            buf.clear().limit((int) (end - from));
            int n = ch.read(buf, from);
            for (int i = n - 1; i >= 0; i--) if (buf.get(i) == '\n') return from + i + 1;
            end = from;
        }
        return 0;
    }

    /** The line {@code [from, newline)}. */
    private static Line line(FileChannel ch, long from, long newline) throws IOException {
        long len = newline - from;
        if (len > MAX_LINE) return new Line(from, null);
        ByteBuffer buf = ByteBuffer.allocate((int) len);
        while (buf.hasRemaining()) {
            if (ch.read(buf, from + buf.position()) < 0) break;
        }
        return new Line(from, new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8));
    }
}
