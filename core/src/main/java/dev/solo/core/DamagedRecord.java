package dev.solo.core;

import dev.solo.core.internal.Json;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A registry record that cannot be read. Its file name still says whose it is ({@code
 * <service>@<port>@<instance>.json}); as long as that port is held, the resident that wrote it may be
 * alive, so no reader deletes it (only a port that can be bound proves the owner gone: the bind is the
 * lock). {@link Registry#damaged()} lists the ones kept; {@link Registry#live(java.time.Duration)} still
 * finds their residents by probing the port, and writes the record of one that answers anew.
 *
 * @param file the record file
 * @param problem what is wrong with it
 * @param service the service its name gives, or {@code ""} when the name is not a record name
 * @param port the port its name gives, or 0
 * @param instance the instance id its name gives, or {@code ""}
 * @param log the resident's log file where its {@code "log"} field can still be read out of the damaged
 *     text, else {@code null}; a record written anew for its resident carries it
 */
public record DamagedRecord(Path file, String problem, String service, int port, String instance, Path log) {
    private static final String SUFFIX = ".json";
    private static final String LOG_FIELD = "\"log\":\"";

    /** What is wrong, whose it may be, and what to do: one paragraph for a person. */
    public String message() {
        String what = "the registry record " + file + " cannot be read (" + problem + "). ";
        if (port == 0) {
            return what + "Its name is not <service>@<port>@<instance>.json, so nothing tells whose it is; it is"
                    + " kept. Delete it if no solo program of yours wrote it.";
        }
        return what + "Port " + port + " is held, so the " + service + " resident that wrote it may still run, and"
                + " the record is kept. 'solo list' writes it anew once that resident answers there; restarting the"
                + " resident does too. Once nothing holds port " + port + ", the next 'solo list' removes it; if"
                + " another program holds that port for good, delete the file.";
    }

    /** The damage of {@code file}, with what its name says and the log its {@code text} (or null) still names. */
    static DamagedRecord of(Path file, Exception cause, String text) {
        String problem = cause instanceof IOException io
                ? FilePermissions.describe(io)
                : cause.getMessage() == null ? cause.toString() : cause.getMessage();
        String name = file.getFileName().toString();
        String[] parts = name.endsWith(SUFFIX)
                ? name.substring(0, name.length() - SUFFIX.length()).split("@", -1)
                : new String[0];
        if (parts.length == 3 && !parts[0].isEmpty() && !parts[2].isEmpty()) {
            try {
                int port = Integer.parseInt(parts[1]);
                if (port >= 1 && port <= 65535) {
                    return new DamagedRecord(file, problem, parts[0], port, parts[2], salvageLog(text));
                }
            } catch (NumberFormatException notAPort) {
                // not a record name: reported as such below
            }
        }
        return new DamagedRecord(file, problem, "", 0, "", null);
    }

    /**
     * The {@code "log":"…"} string of a record's text that is otherwise damaged (cut short, say: records
     * write it second, after the service), when it is whole there and an absolute path; else null.
     */
    static Path salvageLog(String text) {
        if (text == null) return null;
        int start = text.indexOf(LOG_FIELD);
        if (start < 0) return null;
        int i = start + LOG_FIELD.length();
        while (i < text.length() && text.charAt(i) != '"') i += text.charAt(i) == '\\' ? 2 : 1;
        if (i >= text.length()) return null; // the string itself is cut short
        try {
            Object log =
                    Json.parseObject("{" + text.substring(start, i + 1) + "}").get("log");
            Path path = log instanceof String s && !s.isEmpty() ? Path.of(s) : null;
            return path != null && path.isAbsolute() ? path : null;
        } catch (RuntimeException notAString) {
            return null;
        }
    }

    /** Whether its owner is certainly gone: the name gives a port and nobody holds it. */
    boolean ownerGone() {
        return port > 0 && Claimer.bindable(port);
    }
}
