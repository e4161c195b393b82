package dev.solo.cli.monitor;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The port each named monitor keeps: the OS assigns one on its first start, and every later start
 * (after stop, restart or a reboot) claims that same port again, because the hooks installed for the
 * name post there. If the port is taken, the start fails naming the port and its holder; it never
 * moves silently ({@code solo monitor --name N --new-port} moves it on purpose and rewrites the hooks).
 *
 * <p>{@code <solo home>/}{@value #FILE}: one {@code name=port} line per name, written atomically with
 * mode 0600. JDK only: {@link Target} reads it, and that is on every command's path.
 */
final class NamedPorts {
    static final String FILE = "monitor-ports.properties";

    private NamedPorts() {}

    static Path file(Path home) {
        return home.resolve(FILE);
    }

    /** The port {@code name} keeps, or empty when it has none yet (or the file is unreadable). */
    static OptionalInt get(Path home, String name) {
        String v = load(home).getProperty(name);
        if (v == null) return OptionalInt.empty();
        try {
            int port = Integer.parseInt(v.trim());
            return port >= 1 && port <= 65535 ? OptionalInt.of(port) : OptionalInt.empty();
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    /** Remembers {@code port} for {@code name} (0: forget it, so the next start gets a new port). */
    static void put(Path home, String name, int port) throws IOException {
        Properties p = load(home);
        if (port == 0) p.remove(name);
        else p.setProperty(name, Integer.toString(port));
        StringWriter text = new StringWriter();
        text.write("# The port each named solo monitor keeps (solo monitor --name N); hooks post there.\n");
        for (var e : new TreeMap<>(p).entrySet()) text.write(e.getKey() + "=" + e.getValue() + "\n");
        Path tmp = Files.createTempFile(home, ".monitor-ports-", ".tmp");
        try {
            if (Files.getFileAttributeView(tmp, PosixFileAttributeView.class) != null) {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            }
            Files.writeString(tmp, text.toString(), StandardCharsets.UTF_8);
            Files.move(tmp, file(home), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static Properties load(Path home) {
        Properties p = new Properties();
        Path f = file(home);
        if (!Files.isRegularFile(f)) return p;
        try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException | IllegalArgumentException unreadable) {
            // treated as no remembered ports; the next start writes the file again
        }
        return p;
    }
}
