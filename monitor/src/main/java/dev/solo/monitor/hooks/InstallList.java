package dev.solo.monitor.hooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * Every Claude Code settings file solo wrote hooks into, so that a key rotation, a moved port or
 * {@code hooks status} reaches all of them and not only the one of the current directory.
 *
 * <p><b>The file.</b> {@code <solo home>/}{@value #FILE}: {@code {"installs":[{"file","scope","port",
 * "name","created","mode"}]}}, one entry per settings file (absolute path), written atomically (temporary file, then
 * rename) with mode 0600. A missing file is an empty list; a file that is not this JSON is an error
 * naming the path and the fix, and nothing is written over it.
 *
 * <p><b>Changes from many processes.</b> {@link #put} and {@link #remove} read, change and write the
 * list holding an exclusive lock on {@code <solo home>/}{@value #LOCK} (an OS file lock, plus a lock
 * inside this JVM, which the OS lock does not cover), so two {@code hooks install} run at the same
 * instant in two projects both stay in the list. Readers take no lock: the rename makes every read see a
 * whole list.
 *
 * <p><b>Changes to the settings files.</b> Whatever writes hooks into a listed file with the ingest key
 * ({@code hooks install|uninstall|refresh}, a key or token rotation, a named monitor's move) does it
 * inside {@link #locked}: reading the key, changing the list and writing the file are one step, so a
 * rotation never runs between an install's reading the old key and its writing it (which left that file
 * on a key the monitor refuses). {@link #put} and {@link #remove} inside it do not lock again.
 */
public final class InstallList {
    /** The file name inside the solo home. */
    public static final String FILE = "hook-installs.json";
    /** The lock file beside it, held while a change is read, made and written. */
    public static final String LOCK = "hook-installs.lock";

    /** {@link FileChannel#lock} is per process: threads of one JVM take this first. */
    private static final ReentrantLock IN_THIS_JVM = new ReentrantLock();

    /** The lock files this thread holds (inside {@link #locked}): a change there does not lock again. */
    private static final ThreadLocal<java.util.Set<Path>> HELD = ThreadLocal.withInitial(java.util.HashSet::new);

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * One settings file with our hooks.
     *
     * @param file the settings file, absolute
     * @param scope {@code user} or {@code project}
     * @param port the port its hooks post to
     * @param name the named monitor they feed, or empty for a monitor on a fixed port
     * @param created whether install created the file (uninstall then deletes it when nothing else is left)
     * @param mode the file's permissions before solo first wrote the key into it ({@code rw-r--r--}), which
     *     uninstall gives back; null when it was created, or the install is older than this record
     */
    public record Install(Path file, String scope, int port, String name, boolean created, String mode) {
        /** An install whose mode before was not recorded. */
        public Install(Path file, String scope, int port, String name, boolean created) {
            this(file, scope, port, name, created, null);
        }

        public Install {
            Objects.requireNonNull(file, "file");
            if (!file.isAbsolute()) throw new IllegalArgumentException("file must be absolute, got " + file);
            if (!scope.equals("user") && !scope.equals("project")) {
                throw new IllegalArgumentException("scope must be user or project, got '" + scope + "'");
            }
            if (port < 1 || port > 65535) throw new IllegalArgumentException("port must be 1..65535, got " + port);
            name = name == null ? "" : name;
            if (mode != null) PosixFilePermissions.fromString(mode); // rwxr-x--- form, else IllegalArgumentException
        }

        /** This install posting to {@code newPort}. */
        public Install withPort(int newPort) {
            return new Install(file, scope, newPort, name, created, mode);
        }

        /** The options that address this install's monitor: {@code --name N} or {@code --port P}. */
        public String targetOptions() {
            return name.isEmpty() ? "--port " + port : "--name " + name;
        }
    }

    private final Path file;

    private InstallList(Path file) {
        this.file = file;
    }

    /** The list of the solo home {@code home}. */
    public static InstallList in(Path home) {
        return new InstallList(home.resolve(FILE));
    }

    /** Where the list lives. */
    public Path file() {
        return file;
    }

    /** The entries, in the order they were first added. */
    public List<Install> read() throws IOException {
        if (!Files.exists(file)) return List.of();
        JsonNode root;
        try {
            root = MAPPER.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw corrupt(e.getMessage().lines().findFirst().orElse(""));
        }
        if (root == null || !root.path("installs").isArray()) throw corrupt("no \"installs\" array");
        List<Install> out = new ArrayList<>();
        for (JsonNode n : root.get("installs")) {
            try {
                out.add(new Install(
                        Path.of(n.path("file").asText("")),
                        n.path("scope").asText(""),
                        n.path("port").asInt(0),
                        n.path("name").asText(""),
                        n.path("created").asBoolean(false),
                        n.hasNonNull("mode") ? n.get("mode").asText() : null));
            } catch (IllegalArgumentException e) {
                throw corrupt("entry " + n + ": " + e.getMessage());
            }
        }
        return List.copyOf(out);
    }

    /** Adds {@code install}, or replaces the entry for the same settings file. */
    public void put(Install install) throws IOException {
        change(all -> {
            int at = indexOf(all, install.file());
            if (at >= 0) all.set(at, install);
            else all.add(install);
            return true;
        });
    }

    /** The entry for {@code settings}, if any. */
    public java.util.Optional<Install> find(Path settings) throws IOException {
        List<Install> all = read();
        int at = indexOf(all, settings.toAbsolutePath());
        return at < 0 ? java.util.Optional.empty() : java.util.Optional.of(all.get(at));
    }

    /** Drops the entry for {@code settings}; returns whether there was one. */
    public boolean remove(Path settings) throws IOException {
        return change(all -> {
            int at = indexOf(all, settings.toAbsolutePath());
            if (at >= 0) all.remove(at);
            return at >= 0;
        });
    }

    /** A step that reads or writes files. */
    @FunctionalInterface
    public interface Step<T> {
        T run() throws IOException;
    }

    /**
     * Runs {@code step} holding the list's lock, against every other process and thread that changes the
     * list or a listed settings file; blocks until the lock is free. Reentrant: a step may call {@link
     * #put}, {@link #remove} or {@code locked} again. Returns what {@code step} returned.
     */
    public <T> T locked(Step<T> step) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path lock = dir.resolve(LOCK);
        java.util.Set<Path> held = HELD.get();
        if (held.contains(lock)) return step.run();
        Files.createDirectories(dir);
        IN_THIS_JVM.lock();
        try (FileChannel channel = openLock(lock);
                FileLock os = channel.lock()) {
            held.add(lock);
            try {
                return step.run();
            } finally {
                held.remove(lock);
            }
        } finally {
            IN_THIS_JVM.unlock();
        }
    }

    /**
     * Reads, changes and writes the list under the lock. {@code change} edits the entries in place and
     * says whether it changed anything (else nothing is written); returns what it said.
     */
    private boolean change(Predicate<List<Install>> change) throws IOException {
        return locked(() -> {
            List<Install> all = new ArrayList<>(read());
            if (!change.test(all)) return false;
            write(all);
            return true;
        });
    }

    private static FileChannel openLock(Path lock) throws IOException {
        var options = java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        if (lock.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return FileChannel.open(
                    lock, options, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        return FileChannel.open(lock, options);
    }

    private static int indexOf(List<Install> all, Path settings) {
        for (int i = 0; i < all.size(); i++) if (all.get(i).file().equals(settings)) return i;
        return -1;
    }

    private void write(List<Install> all) throws IOException {
        ObjectNode root = MAPPER.createObjectNode();
        ArrayNode list = root.putArray("installs");
        for (Install i : all) {
            ObjectNode n = list.addObject();
            n.put("file", i.file().toString());
            n.put("scope", i.scope());
            n.put("port", i.port());
            if (!i.name().isEmpty()) n.put("name", i.name());
            n.put("created", i.created());
            if (i.mode() != null) n.put("mode", i.mode());
        }
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            tmp = Files.createTempFile(dir, ".hook-installs-", ".tmp");
            if (Files.getFileAttributeView(tmp, PosixFileAttributeView.class) != null) {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            }
            Files.writeString(
                    tmp,
                    MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n",
                    StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) { // a full disk says only "No space left on device"
            throw new IOException("cannot write the list of hook installs " + file + " ("
                    + (e.getMessage() == null ? e.toString() : e.getMessage()) + "). Free some space, or check that "
                    + dir + " is yours and writable; the list was not changed.");
        } finally {
            if (tmp != null) Files.deleteIfExists(tmp);
        }
    }

    private IOException corrupt(String why) {
        return new IOException("the list of hook installs " + file + " is not readable (" + why + "). Move it"
                + " aside and run 'solo monitor hooks install' in each project again; nothing was changed.");
    }
}
