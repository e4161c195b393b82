package dev.solo.cli.monitor;

import dev.solo.monitor.hooks.HooksInstaller;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The script the SessionStart hook runs when no monitor answers, so that after a reboot or a crash the
 * first Claude Code session brings the monitor back (seed 000, "Auto-Restart", where no service
 * manager holds the port).
 *
 * <p>{@code <solo home>/}{@value #FILE} (0700): {@code solo monitor <--port P | --name N> --no-browser}
 * with the same {@code java} and class path as the {@code solo} that installed the hooks, and {@code
 * SOLO_HOME} pinned to this state directory. Its command line holds a port or a name, never a secret.
 * {@code hooks install} and {@code refresh} write it again, so a moved or upgraded solo is followed.
 * Not written on Windows, whose hooks have no POSIX shell.
 */
final class Autostart {
    static final String FILE = "monitor-autostart";

    private Autostart() {}

    /**
     * Writes the script into {@code home} and returns the hook's start command for the monitor {@code
     * targetOptions} names ({@code --port 8765} or {@code --name demo}); empty on Windows.
     */
    static Optional<String> write(Path home, String targetOptions) throws IOException {
        if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows")) return Optional.empty();
        Path script = home.resolve(FILE);
        StringBuilder text = new StringBuilder("#!/bin/sh\n")
                .append("# Written by 'solo monitor hooks install': the SessionStart hook runs it when no monitor\n")
                .append("# answers. It starts one in the background, as 'solo monitor --no-browser' does.\n")
                .append("SOLO_HOME=")
                .append(HooksInstaller.shellQuote(home.toAbsolutePath().toString()))
                .append("\nexport SOLO_HOME\nexec");
        List<String> java = new java.util.ArrayList<>(Launcher.javaCommand());
        // the script outlives builds; the JVM would not notice a jar rebuilt under an AOT cache (AotCache)
        java.removeIf(o -> o.startsWith("-XX:AOTCache="));
        for (String part : java) text.append(' ').append(HooksInstaller.shellQuote(part));
        text.append(" monitor \"$@\" --no-browser\n");
        Path tmp = null;
        try {
            tmp = Files.createTempFile(home, ".monitor-autostart-", ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            if (Files.getFileAttributeView(tmp, PosixFileAttributeView.class) != null) {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx------"));
            }
            Files.move(tmp, script, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) { // a full disk says only "No space left on device"
            throw new IOException("cannot write " + script + " ("
                    + (e.getMessage() == null ? e.toString() : e.getMessage()) + "). Free some space, or check that "
                    + home + " is yours and writable. Nothing was installed.");
        } finally {
            if (tmp != null) Files.deleteIfExists(tmp);
        }
        return Optional.of(HooksInstaller.shellQuote(script.toString()) + " " + targetOptions);
    }
}
