package dev.solo.core;

import dev.solo.core.internal.Platform;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The per-user directory where residents announce themselves, with the token file beside it.
 *
 * <pre>
 * &lt;home&gt;/            0700   (SOLO_HOME, or the XDG state / Application Support / LOCALAPPDATA dir)
 *   token              0600   the per-user secret ({@link Token})
 *   instances/         0700   one file per live resident: &lt;service&gt;@&lt;port&gt;@&lt;instance&gt;.json
 *   logs/                     residents' log files
 *   run/               0700   same-user sockets, unless $XDG_RUNTIME_DIR/solo holds them
 * </pre>
 *
 * <p>A record is written after the resident's socket is bound and removed when it stops. The file
 * name carries service and port, so a client finds its hint from a directory listing alone. Records
 * of residents that died without cleaning up are removed by the next reader that probes them. A record
 * that cannot be read is removed only when the port its name gives is free (the bind is the lock);
 * otherwise its resident may still run, so it is kept and reported ({@link #damaged()}).
 *
 * <p>Thread-safe; concurrent processes never see a half-written record (write to a temporary file,
 * then an atomic rename).
 */
public final class Registry {
    private static final String SUFFIX = ".json";

    private final Path home;
    private final Path socketDir;
    private volatile Token token;
    private volatile Object tokenStamp;

    private Registry(Path home, Path socketDir) {
        this.home = home.toAbsolutePath();
        this.socketDir = socketDir != null ? socketDir : this.home.resolve("run");
    }

    /**
     * The registry of the user running this JVM; see {@link Platform#soloHome}. Same-user sockets go to
     * {@code $XDG_RUNTIME_DIR/solo} where that is set (and no state directory was chosen explicitly),
     * else to {@code run/} in the state directory.
     */
    public static Registry forCurrentUser() {
        java.util.Map<String, String> env = System.getenv();
        return new Registry(Platform.soloHome(env), Platform.runtimeDir(env));
    }

    /** A registry rooted at {@code home}, its same-user sockets in {@code home/run}; for tests and portable installs. */
    public static Registry at(Path home) {
        return new Registry(home, null);
    }

    /** Where residents put their same-user Unix-domain sockets (0700, this user's). */
    Path socketDir() {
        return socketDir;
    }

    /** The per-user state directory. */
    public Path home() {
        return home;
    }

    /** Where instance records live. */
    public Path instancesDir() {
        return home.resolve("instances");
    }

    /** The token file. */
    public Path tokenFile() {
        return home.resolve("token");
    }

    /** Where residents write their logs. Created on demand. */
    public Path logDir() {
        Path dir = home.resolve("logs");
        try {
            ensureHome();
            FilePermissions.ownerOnlyDirectory(dir); // what the residents log is the user's business only
        } catch (IOException e) {
            throw unwritable(dir, e);
        }
        return dir;
    }

    /**
     * The user's token, created on first use. Re-read when the file changes, so a rotation takes
     * effect in running residents at once.
     */
    public Token token() {
        Token t = token;
        Object stamp = stamp();
        if (t == null || !Objects.equals(stamp, tokenStamp)) {
            ensureHome();
            t = Token.loadOrCreate(tokenFile());
            token = t;
            tokenStamp = stamp();
        }
        return t;
    }

    /**
     * What tells one version of the token file from the next: its inode (a rotation renames a new file
     * over it), its modification time at full precision and its size. Millisecond times alone miss a
     * rotation within the same millisecond, and every token file has the same size.
     */
    private Object stamp() {
        try {
            BasicFileAttributes a = Files.readAttributes(tokenFile(), BasicFileAttributes.class);
            return List.of(String.valueOf(a.fileKey()), a.lastModifiedTime(), a.size());
        } catch (IOException e) {
            return null;
        }
    }

    /** Replaces the token with a new one and returns it. */
    public Token rotateToken() {
        ensureHome();
        Token t = Token.rotate(tokenFile());
        token = t;
        return t;
    }

    /** Writes the record (atomically); a resident calls this once its port is bound. */
    public void register(InstanceRecord record) {
        Path dir = instancesDir();
        try {
            ensureHome();
            FilePermissions.ownerOnlyDirectory(dir);
            Path tmp = Files.createTempFile(dir, ".record-", ".tmp");
            try {
                FilePermissions.ownerOnlyFile(tmp);
                Files.writeString(tmp, record.toJson() + "\n", StandardCharsets.UTF_8);
                Files.move(tmp, fileOf(record), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw unwritable(dir, e);
        }
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // left for the next reader
        }
    }

    /** Removes the record; no error when it is already gone. */
    public void remove(InstanceRecord record) {
        try {
            Files.deleteIfExists(fileOf(record));
        } catch (IOException e) {
            // a record left behind is removed by the next reader that probes it
        }
    }

    /**
     * Every record, unverified, oldest first. Files that cannot be read are skipped, and removed when the
     * port their name gives is free ({@link #damaged()}).
     */
    public List<InstanceRecord> records() {
        return read(null, null);
    }

    /** The records of one service, unverified. */
    public List<InstanceRecord> records(String service) {
        return read(service, null);
    }

    /**
     * The record files that cannot be read and are kept because the port their name gives is held (or
     * their name gives none): each with what is wrong and what to do ({@link DamagedRecord#message()}).
     * Those whose port is free are removed instead.
     */
    public List<DamagedRecord> damaged() {
        List<DamagedRecord> damaged = new ArrayList<>();
        read(null, damaged);
        return damaged;
    }

    /**
     * The ports the records of {@code service} name, from the file names alone (no file is read): the
     * cheap first step of discovery.
     */
    public List<Integer> hintedPorts(String service) {
        List<Integer> ports = new ArrayList<>();
        String prefix = service + "@";
        // A plain name filter: a glob would be compiled into a regex on every call.
        DirectoryStream.Filter<Path> ours = new DirectoryStream.Filter<>() {
            @Override
            public boolean accept(Path f) {
                String n = f.getFileName().toString();
                return n.startsWith(prefix) && n.endsWith(SUFFIX);
            }
        };
        try (DirectoryStream<Path> files = Files.newDirectoryStream(instancesDir(), ours)) {
            for (Path f : files) {
                String n = f.getFileName().toString();
                int at = n.indexOf('@', service.length() + 1);
                if (at < 0) continue;
                try {
                    ports.add(Integer.parseInt(n.substring(service.length() + 1, at)));
                } catch (NumberFormatException ignored) {
                    // not a record name of ours
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            return List.of();
        }
        return ports;
    }

    /**
     * Every record checked against its process and port, in parallel, sorted by service and port.
     *
     * <p>A record is removed, and not returned, only when it is certainly stale: its process is gone,
     * its port can be bound (nobody holds it), or another instance of ours answers on it with a valid
     * proof. A resident that holds its port but does not answer the probe within {@code timeout} (busy,
     * flooded, stopped, still starting) keeps its record and is returned with {@code answering ==
     * false}: deleting it would let the next start take a second port.
     *
     * <p>A record that cannot be read is kept while its port is held ({@link #damaged()}); when the
     * resident its file name gives answers there with the proof, it is listed and its record written
     * anew from that answer (without the log path, which no reader uses).
     */
    public List<LiveInstance> live(Duration timeout) {
        List<DamagedRecord> damaged = new ArrayList<>();
        List<InstanceRecord> all = read(null, damaged);
        List<LiveInstance> live = new Liveness(this).check(all, damaged, timeout);
        live.sort(Order.BY_SERVICE_AND_PORT);
        return live;
    }

    /** {@link #live(Duration)} with a one-second probe timeout. */
    public List<LiveInstance> live() {
        return live(Duration.ofSeconds(1));
    }

    /** Probes one record; removes it and returns {@code null} when it is certainly stale (see {@link #live}). */
    LiveInstance verify(InstanceRecord r, Duration timeout) {
        return new Liveness(this).verify(r, timeout);
    }

    /**
     * The readable records (of {@code service}, or all); a file that cannot be read is removed when its
     * owner is certainly gone, else added to {@code damaged} (when not null) and skipped.
     */
    private List<InstanceRecord> read(String service, List<DamagedRecord> damaged) {
        List<InstanceRecord> out = new ArrayList<>();
        String prefix = service == null ? "" : service + "@";
        // A plain name filter: a glob would be compiled into a regex on every call.
        DirectoryStream.Filter<Path> ours = new DirectoryStream.Filter<>() {
            @Override
            public boolean accept(Path f) {
                String n = f.getFileName().toString();
                return n.startsWith(prefix) && n.endsWith(SUFFIX) && !n.startsWith(".");
            }
        };
        try (DirectoryStream<Path> files = Files.newDirectoryStream(instancesDir(), ours)) {
            for (Path f : files) {
                String text = null;
                try {
                    text = Files.readString(f, StandardCharsets.UTF_8).trim();
                    InstanceRecord r = InstanceRecord.fromJson(text);
                    if (service == null || r.service().equals(service)) out.add(r);
                } catch (NoSuchFileException gone) {
                    // removed while we listed
                } catch (IOException | RuntimeException unreadable) {
                    DamagedRecord d = DamagedRecord.of(f, unreadable, text);
                    // Its resident may run and hold the port: deleting the record would hide it from every
                    // reader until it restarts. Only a free port proves it gone.
                    if (d.ownerGone()) Files.deleteIfExists(f);
                    else if (damaged != null) damaged.add(d);
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new RegistryException(
                    "cannot read the registry directory " + instancesDir() + " (" + FilePermissions.describe(e)
                            + "). Check its permissions: it should be yours and 0700.",
                    e);
        }
        out.sort(Order.OLDEST_FIRST);
        return out;
    }

    /** The orders records and instances are listed in (classes of their own: a client rarely needs them). */
    private static final class Order {
        static final Comparator<InstanceRecord> OLDEST_FIRST = new Comparator<>() {
            @Override
            public int compare(InstanceRecord a, InstanceRecord b) {
                return a.started().compareTo(b.started());
            }
        };
        static final Comparator<LiveInstance> BY_SERVICE_AND_PORT = new Comparator<>() {
            @Override
            public int compare(LiveInstance a, LiveInstance b) {
                int c = a.record().service().compareTo(b.record().service());
                return c != 0
                        ? c
                        : Integer.compare(a.record().port(), b.record().port());
            }
        };
    }

    private Path fileOf(InstanceRecord r) {
        return instancesDir().resolve(r.service() + "@" + r.port() + "@" + r.instance() + SUFFIX);
    }

    private void ensureHome() {
        try {
            FilePermissions.ownerOnlyDirectory(home);
        } catch (IOException e) {
            throw unwritable(home, e);
        }
    }

    private static RegistryException unwritable(Path path, IOException e) {
        long free = FilePermissions.freeBytes(path);
        String next = free >= 0 && free < FULL
                ? "The disk holding it is full (" + free + " bytes free): free some space there, or set SOLO_HOME"
                        + " to a directory on another disk."
                : "Make it a directory you can write, or set SOLO_HOME to one that is.";
        return new RegistryException("cannot write " + path + " (" + FilePermissions.describe(e) + "). " + next, e);
    }

    /** Less free space than this after a failed write: the disk is full, whatever the OS said. */
    private static final long FULL = 1024 * 1024;

    @Override
    public String toString() {
        return "Registry[" + home + "]";
    }
}
