package dev.solo.cli.monitor;

import dev.solo.core.Registry;
import dev.solo.core.RegistryException;
import dev.solo.monitor.security.IngestKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * The modes of the settings files hooks go into: {@code hooks install} makes a file owner-only while it
 * holds the ingest key and records the mode it had, {@code hooks uninstall} gives that mode back.
 */
final class FileModes {
    /** The mode a settings file that install created gets back when it stays after uninstall. */
    static final String CREATED = "rw-r--r--";

    private FileModes() {}

    /** {@code file}'s permissions ({@code rw-r--r--}), or null where there are none to tell (not POSIX). */
    static String of(Path file) throws IOException {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
        } catch (UnsupportedOperationException notPosix) {
            return null;
        }
    }

    /** The secrets of ours a settings file may still hold after uninstall: the token and the ingest key. */
    static List<String> secrets(Registry registry) {
        List<String> out = new ArrayList<>();
        try {
            if (Files.exists(registry.tokenFile())) out.add(registry.token().value());
            if (Files.exists(IngestKey.fileIn(registry.home())))
                out.add(IngestKey.loadOrCreate(registry.home()).value());
        } catch (RegistryException unreadable) {
            // an unreadable secret cannot be looked for; an ingest key is still found by its prefix
        }
        return out;
    }

    /**
     * What uninstall did to the mode of {@code file}, which stays: {@code ", mode rw-r--r-- again (as before
     * install)"}, {@code ", still owner-only: it holds a solo key"}, or nothing when no mode was recorded.
     */
    static String describe(Path file, String modeAfter) throws IOException {
        if (modeAfter == null) return "";
        String now = of(file);
        if (modeAfter.equals(now)) return ", mode " + now + " again (as before install)";
        return ", still owner-only (" + now + "): it holds a solo key or token";
    }
}
