package dev.solo.monitor.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.solo.monitor.ingest.BadPayloadException;
import dev.solo.monitor.ingest.Ingest;
import dev.solo.monitor.store.EventStore;
import dev.solo.monitor.store.NewEvent;
import dev.solo.monitor.store.StoredEvent;
import dev.solo.monitor.transcript.ClaudeHome;
import dev.solo.monitor.transcript.TranscriptException;
import dev.solo.monitor.transcript.TranscriptPager;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * Imports past sessions from the transcripts under the Claude config directory ({@code
 * projects/<project>/<session>.jsonl} and their {@code <session>/subagents/agent-<id>.jsonl}): each
 * becomes the stream of its session id, with the hook events its transcript implies (SessionStart,
 * UserPromptSubmit, PreToolUse, PostToolUse / PostToolUseFailure / PermissionDenied, SubagentStart /
 * SubagentStop, PostCompact, Stop), at the times the transcript records, marked {@code source:
 * "import"} and carrying {@code solo_import: {transcript_path, uuid}}.
 *
 * <p>Never a duplicate: an event is skipped when the stream already holds one with the same key (the
 * event and its {@code tool_use_id}; a prompt's {@code prompt_id}; one SessionStart per stream; a
 * subagent's start and stop by agent id), whether it came from a hook or an earlier import. So an
 * import is idempotent, and a session the hooks saw in part gets only what they missed.
 *
 * <p>Runs on the caller's thread; not meant to run twice at once (the route serialises it).
 */
public final class Importer {
    /** How much of a transcript is read at once; a longer line is skipped as a problem. */
    static final int PAGE_BYTES = 4 * 1024 * 1024;

    private static final Pattern SESSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{7,100}");
    private static final List<String> KEYED = List.of(
            "SessionStart",
            "UserPromptSubmit",
            "PreToolUse",
            "PostToolUse",
            "PostToolUseFailure",
            "PermissionDenied",
            "SubagentStart",
            "SubagentStop",
            "PostCompact",
            "PostToolBatch",
            "Stop");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final EventStore store;
    private final ClaudeHome home;
    private final Ingest ingest;
    private final Clock clock;

    public Importer(EventStore store, ClaudeHome home, Ingest ingest, Clock clock) {
        this.store = store;
        this.home = home;
        this.ingest = ingest;
        this.clock = clock;
    }

    /** What an import did. */
    public record Result(int sessions, int events, int skippedEvents, int unchanged, ImportProblems problems) {
        /**
         * The answer of {@code POST /api/import}: the counts, {@code problems} (the first {@value
         * ImportProblems#KEPT}, each {@code {"file", "line", "problem"}}) and {@code problems_total}.
         */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("sessions", sessions);
            m.put("events", events);
            m.put("skipped_events", skippedEvents);
            m.put("unchanged_sessions", unchanged);
            m.put("problems", problems.toMaps());
            m.put("problems_total", problems.total());
            return m;
        }
    }

    /**
     * Imports every session whose transcript changed within {@code maxAge} (null: all of them).
     *
     * @throws TranscriptException when there is no projects directory to import from
     */
    public Result run(Duration maxAge) {
        Path projects = home.projects();
        if (!Files.isDirectory(projects)) {
            throw new TranscriptException("there is no " + projects + " to import from: Claude Code keeps its"
                    + " transcripts there (set CLAUDE_CONFIG_DIR for the monitor if it uses another directory)");
        }
        long since = maxAge == null ? 0 : clock.millis() - maxAge.toMillis();
        int sessions = 0;
        int events = 0;
        int skipped = 0;
        int unchanged = 0;
        ImportProblems problems = new ImportProblems();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(projects)) {
            for (Path dir : dirs) {
                if (!Files.isDirectory(dir)) continue;
                try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.jsonl")) {
                    for (Path f : files) {
                        String stem = f.getFileName().toString().replaceAll("\\.jsonl$", "");
                        if (!SESSION.matcher(stem).matches()) continue;
                        try {
                            if (Files.getLastModifiedTime(f).toMillis() < since) continue;
                            int[] r = session(stem, home.check(f.toString()), problems);
                            if (r[0] > 0) sessions++;
                            else unchanged++;
                            events += r[0];
                            skipped += r[1];
                        } catch (TranscriptException | IOException e) {
                            problems.add(f, 0, "not imported: " + e.getMessage());
                        }
                    }
                }
            }
        } catch (IOException e) {
            problems.add(projects, 0, "cannot list it: " + e.getMessage());
        }
        return new Result(sessions, events, skipped, unchanged, problems);
    }

    /** Imports one session; {@code [stored, skipped]}. */
    int[] session(String session, Path transcript, ImportProblems problems) throws IOException {
        Set<String> have = keys(session);
        List<NewEvent> out = new ArrayList<>();
        int[] skipped = {0};
        Sink sink = (name, at, fields) -> {
            String key = key(name, fields);
            if (key != null && !have.add(key)) {
                skipped[0]++;
                return;
            }
            fields.put("session_id", session);
            fields.put("transcript_path", transcript.toString());
            fields.put("hook_event_name", name);
            try {
                NewEvent e = ingest.hook(MAPPER.writeValueAsBytes(fields));
                out.add(new NewEvent(
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
                        "import",
                        e.cut(),
                        e.json(),
                        Math.max(1, at)));
            } catch (BadPayloadException | com.fasterxml.jackson.core.JsonProcessingException ex) {
                skipped[0]++;
            }
        };
        new TranscriptEvents(sink, null, problems).read(transcript);
        Path subagents = ClaudeHome.subagentsDir(transcript);
        if (Files.isDirectory(subagents)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(subagents, "agent-*.jsonl")) {
                for (Path f : files) {
                    String name = f.getFileName().toString();
                    String agent = name.substring(6, name.length() - 6);
                    try {
                        new TranscriptEvents(sink, agent, problems).read(home.subagent(transcript, agent));
                    } catch (TranscriptException e) {
                        // a subagent file that is not a plain file inside the config directory: left out
                    }
                }
            }
        }
        out.sort(java.util.Comparator.comparingLong(NewEvent::occurredMillis));
        List<CompletableFuture<StoredEvent>> done = new ArrayList<>();
        for (NewEvent e : out) done.add(store.append(e));
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).join();
        return new int[] {out.size(), skipped[0]};
    }

    /** The keys of what the stream already holds. */
    private Set<String> keys(String stream) {
        Set<String> have = new HashSet<>();
        for (StoredEvent e : store.latestOf(stream, KEYED, 200_000)) {
            try {
                JsonNode p = MAPPER.readTree(e.json());
                String key = key(e.event(), p);
                if (key != null) have.add(key);
                // a call refused in -p mode has no Post event: its batch carries the answer
                if (e.event().equals("PostToolBatch")) {
                    for (JsonNode c : p.path("tool_calls")) {
                        if (text(c, "tool_use_id") != null) have.add("post:" + text(c, "tool_use_id"));
                    }
                }
            } catch (IOException ex) {
                // stored JSON always parses
            }
        }
        return have;
    }

    /**
     * The identity of an event for de-duplication, or null when it has none (always imported). An event
     * without its own key (a prompt of a Claude Code version that wrote no {@code promptId}) is known by
     * the transcript line it came from, so a second import does not add it again.
     */
    static String key(String name, JsonNode f) {
        String own = ownKey(name, f);
        if (own != null) return own;
        String line = text(f.path("solo_import"), "uuid");
        return line == null ? null : name + "@" + line;
    }

    private static String ownKey(String name, JsonNode f) {
        String tool = text(f, "tool_use_id");
        String prompt = text(f, "prompt_id");
        String agent = text(f, "agent_id");
        return switch (name) {
            case "SessionStart" -> "SessionStart";
            case "PreToolUse", "PostToolUse", "PostToolUseFailure", "PermissionDenied" ->
                tool == null ? null : (name.equals("PreToolUse") ? "pre:" : "post:") + tool;
            case "UserPromptSubmit", "Stop" -> prompt == null ? null : name + ":" + prompt;
            case "SubagentStart", "SubagentStop" -> agent == null ? null : name + ":" + agent;
            case "PostCompact" ->
                text(f.path("solo_import"), "uuid") == null ? null : "compact:" + text(f.path("solo_import"), "uuid");
            default -> null;
        };
    }

    private static String text(JsonNode n, String k) {
        JsonNode v = n.get(k);
        return v == null || v.isNull() || !v.isValueNode() ? null : v.asText();
    }

    /** Receives the events a transcript implies, in file order. */
    interface Sink {
        void event(String name, long at, ObjectNode fields);
    }

    /** Milliseconds of an ISO timestamp, or 0. */
    static long millis(String iso) {
        try {
            return iso == null ? 0 : Instant.parse(iso).toEpochMilli();
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /** Receives a transcript's complete lines: the number (from 1) and the text, null for a line too long to read. */
    interface LineSink {
        void line(long number, String text);
    }

    /** Pages through a file (never whole). */
    static void lines(Path file, LineSink each) throws IOException {
        long at = 0;
        long number = 0;
        while (true) {
            TranscriptPager.Page page = TranscriptPager.forward(file, at, PAGE_BYTES);
            for (TranscriptPager.Line l : page.lines()) each.line(++number, l.text());
            if (page.lines().isEmpty() || page.atEnd()) return;
            at = page.end();
        }
    }
}
