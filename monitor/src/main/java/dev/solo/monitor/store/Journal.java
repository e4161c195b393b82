package dev.solo.monitor.store;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * The store's inbox: every event it acknowledges, appended to a file with one {@code write} before the
 * answer, so an acknowledged event survives a {@code kill -9} of the monitor before {@link GroupCommit}
 * has put it into the database. This is the durability of a SQLite WAL commit with {@code
 * synchronous=NORMAL} (the data is in the kernel's page cache; a power cut can lose the last events), at
 * one system call instead of a transaction's page writes.
 *
 * <p><b>Files.</b> {@code <database>-inbox} takes the appends; once it holds {@value #ROTATE_AT_MIB} MiB it
 * is renamed {@code <database>-inbox.1} (sealed) and a new one is started, and the sealed file is deleted
 * as soon as the database holds its last event. So the inbox stays small while the writer keeps up, and
 * holds whatever it has not stored yet when it does not. Both are owner-only (0600): they hold what the
 * database holds.
 *
 * <p><b>Records.</b> Length, CRC-32C, then the id, the time and the event's fields. {@link #replay} reads
 * the sealed file, then the current one, and stops at the first record that is incomplete or fails its
 * checksum (a write cut short by a crash, never acknowledged).
 *
 * <p>Not thread-safe for appends (the caller holds its own lock); {@link #indexed} may run beside them.
 */
final class Journal implements AutoCloseable {
    static final int ROTATE_AT_MIB = 8;
    private static final long ROTATE_AT = ROTATE_AT_MIB * 1024L * 1024L;
    private static final int HEADER = 8; // length, crc
    private static final int FIXED = 32; // id, at, cut, occurredMillis
    /** Larger than any event the monitor accepts; a length above it is a torn or foreign record. */
    private static final int MAX_RECORD = 256 * 1024 * 1024;

    private final Path current;
    private final Path sealed;
    private RandomAccessFile out; // null after a failed rotation: the next append opens it again
    private long size;
    private long sealedUpTo = -1; // the last id in the sealed file, -1 when there is none

    private Journal(Path database) {
        this.current = file(database);
        this.sealed = current.resolveSibling(current.getFileName() + ".1");
    }

    /** The inbox of {@code database}: {@code <database>-inbox}. */
    static Path file(Path database) {
        return database.resolveSibling(database.getFileName() + "-inbox");
    }

    /**
     * Hands every intact record of {@code database}'s inbox whose id is above {@code after} to {@code sink},
     * in order (the sealed file first). A torn tail is reported on stderr and skipped.
     *
     * @return the highest id read, or {@code after} when none is higher
     */
    static long replay(Path database, long after, Consumer<Accepted> sink) throws IOException {
        Path cur = file(database);
        long last = after;
        for (Path f : new Path[] {cur.resolveSibling(cur.getFileName() + ".1"), cur}) {
            last = Math.max(last, replayFile(f, after, sink));
        }
        return last;
    }

    private static long replayFile(Path f, long after, Consumer<Accepted> sink) throws IOException {
        long last = after;
        long offset = 0;
        InputStream raw;
        try {
            raw = Files.newInputStream(f);
        } catch (NoSuchFileException none) {
            return last;
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 64 * 1024))) {
            while (true) {
                int length;
                try {
                    length = in.readInt();
                } catch (EOFException end) {
                    return last;
                }
                int crc = -1;
                byte[] body = null;
                if (length >= FIXED && length <= MAX_RECORD) {
                    try {
                        crc = in.readInt();
                        body = in.readNBytes(length);
                    } catch (EOFException cut) {
                        body = null;
                    }
                }
                if (body == null || body.length != length || crc != checksum(body, 0, length)) {
                    System.err.println("solo-monitor: " + f + " ends with a record cut short at byte " + offset
                            + " (a write the monitor was killed in, never acknowledged); skipped");
                    return last;
                }
                Accepted a = decode(body);
                if (a.id() > after) {
                    sink.accept(a);
                    last = Math.max(last, a.id());
                }
                offset += HEADER + length;
            }
        }
    }

    /**
     * Starts an empty inbox for {@code database}, removing the old files: call it only once every record
     * {@link #replay} found is in the database.
     */
    static Journal create(Path database) throws IOException {
        Journal j = new Journal(database);
        Files.deleteIfExists(j.sealed);
        Files.deleteIfExists(j.current);
        j.openCurrent();
        return j;
    }

    private void openCurrent() throws IOException {
        Database.ownerOnly(current); // creates it 0600
        RandomAccessFile f = new RandomAccessFile(current.toFile(), "rw");
        size = f.length();
        f.seek(size);
        out = f;
    }

    /**
     * An event's record and, within it, its payload's UTF-8 bytes (the writer binds those instead of encoding
     * the payload a second time).
     */
    record Encoded(byte[] record, byte[] json) {}

    /** The record of {@code e}, without its id and time (set by {@link #append}); any thread. */
    static Encoded encode(NewEvent e) {
        String[] fields = strings(e);
        byte[][] bytes = new byte[fields.length][];
        int length = FIXED;
        for (int i = 0; i < fields.length; i++) {
            bytes[i] = fields[i] == null ? null : fields[i].getBytes(StandardCharsets.UTF_8);
            length += 4 + (bytes[i] == null ? 0 : bytes[i].length);
        }
        ByteBuffer b = ByteBuffer.allocate(HEADER + length);
        b.putInt(length).putInt(0).putLong(0).putLong(0).putLong(e.cut()).putLong(e.occurredMillis());
        for (byte[] s : bytes) {
            if (s == null) {
                b.putInt(-1);
            } else {
                b.putInt(s.length).put(s);
            }
        }
        return new Encoded(b.array(), bytes[bytes.length - 1]);
    }

    private static String[] strings(NewEvent e) {
        return new String[] {
            e.stream(),
            e.event(),
            e.tool(),
            e.toolUseId(),
            e.agentId(),
            e.agentType(),
            e.file(),
            e.cwd(),
            e.title(),
            e.notice(),
            e.source(),
            e.json()
        };
    }

    private static Accepted decode(byte[] body) {
        ByteBuffer b = ByteBuffer.wrap(body);
        long id = b.getLong();
        long at = b.getLong();
        long cut = b.getLong();
        long occurred = b.getLong();
        String[] s = new String[12];
        byte[] json = null;
        for (int i = 0; i < s.length; i++) {
            int n = b.getInt();
            if (n >= 0) {
                s[i] = new String(body, b.position(), n, StandardCharsets.UTF_8);
                if (i == s.length - 1) json = Arrays.copyOfRange(body, b.position(), b.position() + n);
                b.position(b.position() + n);
            }
        }
        NewEvent e =
                new NewEvent(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8], s[9], s[10], cut, s[11], occurred);
        return new Accepted(id, at, e, json);
    }

    private static int checksum(byte[] body, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(body, offset, length);
        return (int) crc.getValue();
    }

    /**
     * Appends {@code record} (from {@link #encode}) with its {@code id} and time: one {@code write}. On
     * failure the file is cut back to where it was, so nothing of the record stays.
     *
     * @throws IOException when it could not be written (a full disk); the message names the file
     */
    synchronized void append(byte[] record, long id, long at) throws IOException {
        if (out == null) openCurrent();
        ByteBuffer b = ByteBuffer.wrap(record);
        b.putLong(HEADER, id).putLong(HEADER + 8, at);
        b.putInt(4, checksum(record, HEADER, record.length - HEADER));
        try {
            out.write(record);
        } catch (IOException e) {
            try {
                out.setLength(size);
                out.seek(size);
            } catch (IOException ignored) {
                // the next append's cut-back tries again; replay stops at the torn record meanwhile
            }
            throw new IOException("cannot write to " + current + ": " + e.getMessage(), e);
        }
        size += record.length;
        if (size >= ROTATE_AT && sealedUpTo < 0) rotate(id);
    }

    private void rotate(long lastId) {
        try {
            out.close();
            out = null;
            Files.move(current, sealed, StandardCopyOption.ATOMIC_MOVE);
            sealedUpTo = lastId;
            openCurrent();
        } catch (IOException e) {
            // the record is written; the next append opens the file again (or reports why it cannot)
            System.err.println("solo-monitor: cannot start a new inbox file " + current + ": " + e.getMessage());
        }
    }

    /** The database holds every event up to {@code id}: a sealed file it covers is deleted. */
    synchronized void indexed(long id) {
        if (sealedUpTo < 0 || id < sealedUpTo) return;
        try {
            Files.deleteIfExists(sealed);
            sealedUpTo = -1;
        } catch (IOException e) {
            System.err.println("solo-monitor: cannot delete " + sealed + ": " + e.getMessage());
        }
    }

    /** Closes the file, keeping both files: what they hold is replayed at the next open. */
    @Override
    public synchronized void close() {
        if (out == null) return;
        try {
            out.close();
        } catch (IOException ignored) {
            // nothing was pending in it: every append is one write
        }
        out = null;
    }

    /** Closes and deletes both files: call it only when the database holds every event. */
    synchronized void discard() {
        close();
        try {
            Files.deleteIfExists(sealed);
            Files.deleteIfExists(current);
        } catch (IOException e) {
            System.err.println("solo-monitor: cannot delete the inbox " + current + ": " + e.getMessage()
                    + "; it is read again, and its stored events skipped, at the next start");
        }
    }
}
