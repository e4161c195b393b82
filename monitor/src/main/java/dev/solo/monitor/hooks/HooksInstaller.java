package dev.solo.monitor.hooks;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.solo.monitor.permission.HoldSettings;
import dev.solo.monitor.security.IngestKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the monitor's hooks into a Claude Code settings file, and takes them out again.
 *
 * <p>The hooks carry the {@link IngestKey}, never the token: an HTTP hook as its {@code Authorization}
 * header, the curl command hook by reading that header from the key file ({@code curl -H @<file>}), so
 * the key is on no command line. A hook that carries anything else (the token, which hooks carried
 * before the key existed, or a key since rotated) is <em>stale</em>: {@link #status} says so and {@link
 * #reinstall} replaces it.
 *
 * <p>Ours are recognised by the header {@value #MARK_HEADER} (in an HTTP hook's {@code headers}, or
 * in the curl line of a command hook), never by position. Installing replaces ours and keeps every
 * other hook and setting as it was, so running it twice leaves one entry per event. Uninstalling
 * removes only ours, and drops a matcher group or event only when ours were all it held. The file is
 * written atomically (temporary file, then rename) with two-space indentation.
 */
public final class HooksInstaller {
    public static final String MARK_HEADER = "X-Solo-Monitor";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final DefaultPrettyPrinter PRETTY =
            new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n"));

    /**
     * What {@link #status} found: the events that carry our hook, the URL they point to, which of them
     * are stale (they do not carry the current ingest key) and whether any carries the monitor's token.
     */
    public record Status(Path file, List<String> events, String url, List<String> stale, boolean token) {
        public Status {
            events = List.copyOf(events);
            stale = List.copyOf(stale);
        }

        /** The port the hooks post to, from {@link #url}; 0 when there are none (or the URL is not ours). */
        public int port() {
            if (url == null) return 0;
            java.util.regex.Matcher m = URL_PORT.matcher(url);
            return m.matches() ? Integer.parseInt(m.group(1)) : 0;
        }
    }

    private static final java.util.regex.Pattern URL_PORT =
            java.util.regex.Pattern.compile("http://127\\.0\\.0\\.1:(\\d{1,5})/api/hooks");

    private HooksInstaller() {}

    /** Installs hooks for {@code events} posting to {@code port} with the ingest {@code key}; returns the event count. */
    public static int install(Path settings, List<String> events, int port, IngestKey key) throws IOException {
        return install(settings, events, port, key, null);
    }

    /**
     * As {@link #install(Path, List, int, IngestKey)}; with {@code autostart} (a shell command, quoted,
     * that starts the monitor in the foreground until it answers; null for none) the SessionStart hook
     * runs it in the background when nobody listens on the port, then delivers its event.
     */
    public static int install(Path settings, List<String> events, int port, IngestKey key, String autostart)
            throws IOException {
        String url = "http://127.0.0.1:" + port + "/api/hooks";
        Map<String, JsonNode> groups = new LinkedHashMap<>();
        for (String event : events) {
            ObjectNode group = MAPPER.createObjectNode();
            ObjectNode hook = group.putArray("hooks").addObject();
            if (HookEvents.COMMAND_ONLY.contains(event)) {
                boolean starts = autostart != null && event.equals("SessionStart");
                hook.put("type", "command");
                hook.put("command", starts ? curlOrStart(url, key.file(), autostart) : curl(url, key.file()));
                hook.put("timeout", starts ? AUTOSTART_TIMEOUT_SECONDS : 5);
            } else {
                hook.put("type", "http");
                hook.put("url", url);
                ObjectNode headers = hook.putObject("headers");
                headers.put("Authorization", "Bearer " + key.value());
                headers.put(MARK_HEADER, "1");
                hook.put("timeout", timeout(event));
            }
            groups.put(event, group);
        }
        String text = readText(settings);
        if (text.isBlank()) {
            ObjectNode root = MAPPER.createObjectNode();
            ObjectNode hooks = root.putObject("hooks");
            groups.forEach((event, group) -> hooks.putArray(event).add(group));
            write(settings, MAPPER.writer(PRETTY).writeValueAsString(root) + "\n");
            return events.size();
        }
        String kept = SettingsText.removeOurs(text, spans(settings, text), HooksInstaller::ours)
                .text();
        write(settings, SettingsText.append(kept, spans(settings, kept), groups));
        return events.size();
    }

    /**
     * The timeout of the SessionStart hook that starts a missing monitor: its first post (curl, 5 s), the
     * start ({@code solo monitor} waits up to 30 s for the server), its second post (5 s), and a margin.
     * With 5 s, a start on a loaded machine (4.3 s measured at load 13 on 2 cores) was killed half-way:
     * no monitor, and the session's events were all lost. With a monitor running it returns at once.
     */
    static final int AUTOSTART_TIMEOUT_SECONDS = 45;

    /**
     * The hook's timeout in seconds: 5, except {@code PermissionRequest}, which the monitor may hold
     * while the user answers on the page (up to {@link HoldSettings#MAX_SECONDS}); it gets 10 s more,
     * so the monitor always answers first (no decision: the terminal asks as usual).
     */
    static int timeout(String event) {
        return event.equals("PermissionRequest") ? HoldSettings.MAX_SECONDS + 10 : 5;
    }

    /**
     * Removes our hooks; returns how many events had one. A missing file is left missing. A {@code hooks}
     * object that held only ours goes too; so does the whole file when {@code created} (install made it)
     * and nothing else is left in it, so uninstalling leaves no empty {@code { }} behind.
     */
    public static int uninstall(Path settings, boolean created) throws IOException {
        return uninstall(settings, created, null, List.of());
    }

    /**
     * As {@link #uninstall(Path, boolean)}; a file that stays is written with {@code modeAfter} ({@code
     * rw-r--r--}: the mode it had before install made it owner-only for the key; null: owner-only), unless
     * what is left still holds an ingest key or one of {@code secrets}: then it stays owner-only.
     */
    public static int uninstall(Path settings, boolean created, String modeAfter, List<String> secrets)
            throws IOException {
        if (!Files.exists(settings)) return 0;
        String text = readText(settings);
        if (text.isBlank()) return 0;
        SettingsText.Removed removed = SettingsText.removeOurs(text, spans(settings, text), HooksInstaller::ours);
        if (removed.events() == 0) return 0;
        if (created && removed.rootEmpty()) {
            writable(settings);
            Files.delete(settings);
            try {
                Files.deleteIfExists(settings.toAbsolutePath().getParent()); // only when empty
            } catch (java.nio.file.DirectoryNotEmptyException kept) {
                // the directory holds other files: leave it
            }
        } else {
            write(settings, removed.text(), holdsSecret(removed.text(), secrets) ? null : modeAfter);
        }
        return removed.events();
    }

    /** Whether {@code text} still holds an ingest key (any, rotated or not) or one of {@code secrets}. */
    private static boolean holdsSecret(String text, List<String> secrets) {
        if (text.contains(IngestKey.PREFIX)) return true;
        for (String secret : secrets) if (secret != null && !secret.isEmpty() && text.contains(secret)) return true;
        return false;
    }

    /**
     * Which events carry our hook in {@code settings}, and which of those are stale against the current
     * ingest {@code key} (null: there is no key yet, so every hook of ours is stale).
     *
     * @param token the monitor's token, to tell a hook that still carries it
     */
    public static Status status(Path settings, IngestKey key, String token) throws IOException {
        List<String> events = new ArrayList<>();
        List<String> stale = new ArrayList<>();
        boolean carriesToken = false;
        String url = null;
        if (Files.exists(settings) && read(settings).get("hooks") instanceof ObjectNode hooks) {
            for (Map.Entry<String, JsonNode> e : hooks.properties()) {
                for (JsonNode group : e.getValue()) {
                    for (JsonNode h : group.path("hooks")) {
                        if (!ours(h)) continue;
                        events.add(e.getKey());
                        if (h.has("url")) url = h.get("url").asText();
                        String text = h.toString();
                        if (token != null && text.contains(token)) carriesToken = true;
                        if (!current(h, key)) stale.add(e.getKey());
                    }
                }
            }
        }
        return new Status(settings, events, url, stale, carriesToken);
    }

    /** Whether our hook {@code h} carries the current key: the header, or the curl line that reads the key file. */
    private static boolean current(JsonNode h, IngestKey key) {
        if (key == null) return false;
        if (h.has("headers"))
            return ("Bearer " + key.value())
                    .equals(h.path("headers").path("Authorization").asText());
        String cmd = h.path("command").asText("");
        return cmd.contains("-H @" + shellQuote(key.file().toString())) && !cmd.contains("Authorization:");
    }

    /**
     * Writes our hooks of {@code settings} again with the current ingest {@code key}, for the same events
     * and port (after a rotation, or to replace hooks that carry the token); returns how many events.
     */
    public static int reinstall(Path settings, IngestKey key) throws IOException {
        return reinstall(settings, key, 0);
    }

    /**
     * As {@link #reinstall(Path, IngestKey)}, posting to {@code port} instead (0: the port they post to
     * now), for a named monitor whose remembered port differs from what its hooks say.
     */
    public static int reinstall(Path settings, IngestKey key, int port) throws IOException {
        return reinstall(settings, key, port, null);
    }

    /** As {@link #reinstall(Path, IngestKey, int)}, with the SessionStart autostart command (null: none). */
    public static int reinstall(Path settings, IngestKey key, int port, String autostart) throws IOException {
        Status s = status(settings, key, null);
        if (s.events().isEmpty() || s.port() == 0) return 0;
        return install(settings, s.events(), port == 0 ? s.port() : port, key, autostart);
    }

    /** The command hook: the event on stdin, the key's header read from its file, never on the command line. */
    static String curl(String url, Path keyFile) {
        return "curl -sS -m 5 -o /dev/null -X POST -H 'Content-Type: application/json' -H @"
                + shellQuote(keyFile.toString()) + " -H '" + MARK_HEADER + ": 1' --data-binary @- " + url
                + " >/dev/null 2>&1 || true";
    }

    /**
     * The SessionStart hook with autostart: the event is read once, posted; only when nothing listens
     * (curl exit 7, "failed to connect") it runs {@code autostart} (which returns once the monitor
     * answers, the monitor itself running on detached) and posts the event again. With a monitor running
     * it costs what the plain curl hook costs. Without one it waits for the start, once: Claude Code runs
     * the session's next hooks only after SessionStart's returned, so none of that session's events
     * finds the port closed. No secret is on any command line.
     */
    static String curlOrStart(String url, Path keyFile, String autostart) {
        String post = "printf '%s' \"$e\" | " + curl(url, keyFile).replace(" >/dev/null 2>&1 || true", "");
        return "e=$(cat); " + post + " >/dev/null 2>&1; if [ $? -eq 7 ]; then " + autostart
                + " </dev/null >/dev/null 2>&1 && " + post + " >/dev/null 2>&1; fi; true";
    }

    /** {@code 'text'} for a POSIX shell: a quote inside becomes {@code '\''}. */
    public static String shellQuote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }

    static boolean ours(JsonNode hook) {
        JsonNode headers = hook.get("headers");
        if (headers != null && headers.has(MARK_HEADER)) return true;
        JsonNode cmd = hook.get("command");
        return cmd != null && cmd.isTextual() && cmd.asText().contains(MARK_HEADER + ":");
    }

    private static ObjectNode read(Path settings) throws IOException {
        if (!Files.exists(settings)) return MAPPER.createObjectNode();
        String text = Files.readString(settings, StandardCharsets.UTF_8);
        if (text.isBlank()) return MAPPER.createObjectNode();
        JsonNode node;
        try {
            node = MAPPER.readTree(text);
        } catch (IOException e) {
            throw new IOException(settings + " is not valid JSON ("
                    + e.getMessage().lines().findFirst().orElse("")
                    + "); fix or move it, then run the command again. Nothing was changed.");
        }
        if (!(node instanceof ObjectNode obj)) {
            throw new IOException(settings + " does not hold a JSON object; nothing was changed.");
        }
        return obj;
    }

    /** The file's text; empty when it does not exist. */
    private static String readText(Path settings) throws IOException {
        return Files.exists(settings) ? Files.readString(settings, StandardCharsets.UTF_8) : "";
    }

    /** The spans of {@code text}, checked: an object whose {@code hooks} is an object of arrays. */
    private static JsonSpans.Obj spans(Path settings, String text) throws IOException {
        JsonSpans.Node root;
        try {
            root = JsonSpans.parse(text);
        } catch (IOException e) {
            throw new IOException(settings + " is not valid JSON ("
                    + e.getMessage().lines().findFirst().orElse("")
                    + "); fix or move it, then run the command again. Nothing was changed.");
        }
        return SettingsText.check(root, settings.toString());
    }

    /**
     * Refuses a file the user made read-only (checked by its mode: root may write anything): solo would
     * replace it behind their back.
     */
    private static void writable(Path file) throws IOException {
        if (!Files.exists(file)) return;
        try {
            var mode = Files.getPosixFilePermissions(file);
            if (!mode.contains(java.nio.file.attribute.PosixFilePermission.OWNER_WRITE)) {
                throw new IOException(file + " is read-only ("
                        + java.nio.file.attribute.PosixFilePermissions.toString(mode)
                        + "). Make it writable ('chmod u+w " + file + "') if solo may change it, then run the command"
                        + " again. Nothing was changed.");
            }
        } catch (UnsupportedOperationException notPosix) {
            if (!Files.isWritable(file)) throw new IOException(file + " is read-only. Nothing was changed.");
        }
    }

    /**
     * Writes {@code text} atomically (temporary file, then rename) and owner-only (it holds the key). A
     * symbolic link (a settings file kept with one's dotfiles) stays a link: the file it points to is
     * written.
     */
    private static void write(Path settings, String text) throws IOException {
        write(settings, text, null);
    }

    /** As {@link #write(Path, String)}, with {@code mode} ({@code rw-r--r--}) instead of owner-only unless null. */
    private static void write(Path settings, String text, String mode) throws IOException {
        Path target = settings.toAbsolutePath();
        for (int hops = 0; Files.isSymbolicLink(target) && hops < 40; hops++) {
            target = target.resolveSibling(Files.readSymbolicLink(target)).normalize();
        }
        writable(target);
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = null;
        try {
            tmp = Files.createTempFile(dir, ".settings-", ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            try {
                Files.setPosixFilePermissions(
                        tmp,
                        java.nio.file.attribute.PosixFilePermissions.fromString(mode == null ? "rw-------" : mode));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system; the user's profile directory is private already
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) { // a full disk says only "No space left on device"
            throw new IOException("cannot write " + target + " ("
                    + (e.getMessage() == null ? e.toString() : e.getMessage()) + "). Free some space, or check that "
                    + dir + " is yours and writable. Nothing was changed.");
        } finally {
            if (tmp != null) Files.deleteIfExists(tmp);
        }
    }
}
