package dev.solo.monitor.permission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.solo.monitor.derive.Summary;
import dev.solo.monitor.store.EventStore;
import dev.solo.monitor.store.StoredEvent;
import dev.solo.monitor.store.StreamInfo;
import dev.solo.monitor.transcript.ClaudeHome;
import dev.solo.monitor.transcript.TranscriptException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Finds the permission prompts the user rejected in Claude Code's terminal, which no hook reports:
 * Claude Code (2.1.197) writes the rejection into the transcript only ({@code "toolUseResult":"User
 * rejected tool use"} on the rejected call's {@code tool_result}, then {@code [Request interrupted by
 * user for tool use]}) and waits for the next prompt. Until then the stream would read "waiting for
 * you: Edit …" and a held prompt would keep its Allow and Deny on the card.
 *
 * <p>{@link #check} looks at every prompt that waits: each {@code PermissionRequest} of a stream since
 * it began to wait on one (two parallel calls, or the main agent's and a subagent's, wait together),
 * and, after one of them was found rejected (which ends the stream's wait), the others of that wait
 * until the stream moves on. A prompt is rejected when the transcript of the agent that asked (the main
 * one, or its subagent's) grew since the last look and holds, written after the request, the
 * interruption or a rejection of that call (a rejection of another call, told by the tool and input of
 * its {@code tool_use}, leaves it alone). For each such prompt it records {@link
 * PermissionAnswered#inTerminal} ({@value PermissionAnswered#REJECTED}: the wait ends and the stream
 * rests until the next prompt) and hands the stored event to {@code settled} (which releases that
 * prompt's hold). Only the last {@value #TAIL} bytes are read. Called by one thread at a time.
 */
public final class TerminalAnswers {
    static final int TAIL = 256 * 1024;
    static final String REJECTED = "User rejected tool use";
    static final String INTERRUPTED = "[Request interrupted by user for tool use]";
    /** The prompts of one wait looked at: more are not shown on a card either. */
    static final int PER_WAIT = 16;

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Claude Code's clock and the monitor's are the same machine's; a line a moment older still counts. */
    private static final long SLACK_MS = 1000;

    private final EventStore store;
    private final ClaudeHome home;
    private final Consumer<StoredEvent> settled;
    /** The transcript size at the last look, by request event id: unchanged means nothing new to read. */
    private final Map<Long, Long> looked = new ConcurrentHashMap<>();
    /** The prompts of a wait that one of its rejections ended, by id: their own lines may come later. */
    private final Map<Long, StoredEvent> leftOver = new LinkedHashMap<>();

    public TerminalAnswers(EventStore store, ClaudeHome home, Consumer<StoredEvent> settled) {
        this.store = store;
        this.home = home;
        this.settled = settled;
    }

    /** Looks once at every permission prompt that waits; how many it found answered. */
    public int check() {
        Map<Long, StoredEvent> waiting = new LinkedHashMap<>();
        Set<String> rested = new HashSet<>(); // streams whose wait one of our rejections ended
        for (StreamInfo s : store.streams()) {
            if (PermissionAnswered.REJECTED.equals(s.lastEvent())) rested.add(s.id());
            if (s.waitingReason() == null || !"PermissionRequest".equals(s.lastWaitingEvent())) continue;
            for (StoredEvent r : store.latestOf(s.id(), List.of("PermissionRequest"), PER_WAIT))
                if (r.receivedMillis() >= s.waitingSince()) waiting.put(r.id(), r);
        }
        for (StoredEvent r : leftOver.values()) if (rested.contains(r.stream())) waiting.putIfAbsent(r.id(), r);
        leftOver.clear();
        int found = 0;
        List<StoredEvent> open = new ArrayList<>();
        for (StoredEvent request : waiting.values()) {
            if (rejectedAfter(request)) {
                try {
                    settled.accept(
                            store.append(PermissionAnswered.inTerminal(request)).join());
                    found++;
                    continue;
                } catch (RuntimeException e) {
                    System.err.println(
                            "solo-monitor: cannot record a prompt rejected in the terminal: " + e.getMessage());
                }
            }
            open.add(request);
        }
        Set<String> ended = new HashSet<>(); // read again: the rejections recorded above end waits too
        for (StreamInfo s : store.streams()) if (PermissionAnswered.REJECTED.equals(s.lastEvent())) ended.add(s.id());
        for (StoredEvent r : open) if (ended.contains(r.stream())) leftOver.put(r.id(), r);
        looked.keySet().retainAll(waiting.keySet()); // requests answered since, in the terminal or otherwise
        return found;
    }

    /**
     * Whether the transcript of the agent that made {@code request} shows it rejected after it was
     * made: the turn interrupted, or this call's {@code tool_result} rejected (see the class comment).
     */
    boolean rejectedAfter(StoredEvent request) {
        Path file;
        JsonNode input;
        try {
            JsonNode p = Summary.hookObject(MAPPER.readTree(request.json()));
            input = p.get("tool_input");
            Path main = home.check(p.path("transcript_path").asText(null));
            file = request.agentId() == null ? main : home.subagent(main, request.agentId());
        } catch (IOException | TranscriptException e) {
            return false; // no transcript to read: the wait ends with the next prompt, as before
        }
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long size = f.length();
            Long before = looked.put(request.id(), size);
            if (before != null && before == size) return false;
            long from = Math.max(0, size - TAIL);
            byte[] tail = new byte[(int) (size - from)];
            f.seek(from);
            f.readFully(tail);
            String[] lines = new String(tail, StandardCharsets.UTF_8).split("\n");
            long since = request.receivedMillis() - SLACK_MS;
            for (String line : lines) {
                boolean rejected = line.contains(REJECTED);
                if (!rejected && !line.contains(INTERRUPTED)) continue;
                JsonNode n = parse(line);
                if (n == null || writtenAt(n) < since) continue;
                if (!rejected || isCall(lines, rejectedCall(n), request.tool(), input)) return true;
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    /** The {@code tool_use_id} of the rejected {@code tool_result} on a transcript line, or null. */
    private static String rejectedCall(JsonNode line) {
        for (JsonNode c : line.path("message").path("content"))
            if ("tool_result".equals(c.path("type").asText()))
                return c.path("tool_use_id").asText(null);
        return null;
    }

    /**
     * Whether call {@code id} is one of {@code tool} with {@code input}, by its {@code tool_use} among
     * {@code lines}; true when that cannot be told (no id, the call before the tail, no input).
     */
    private static boolean isCall(String[] lines, String id, String tool, JsonNode input) {
        if (id == null) return true;
        String quoted = "\"" + id + "\"";
        for (String line : lines) {
            if (!line.contains(quoted) || !line.contains("\"tool_use\"")) continue;
            JsonNode n = parse(line);
            if (n == null) continue;
            for (JsonNode c : n.path("message").path("content")) {
                if (!"tool_use".equals(c.path("type").asText())
                        || !id.equals(c.path("id").asText())) continue;
                return Objects.equals(c.path("name").asText(null), tool)
                        && (input == null || input.equals(c.get("input")));
            }
        }
        return true;
    }

    private static JsonNode parse(String line) {
        try {
            return MAPPER.readTree(line);
        } catch (IOException e) {
            return null; // a line cut by the tail
        }
    }

    /** The line's {@code timestamp} in epoch ms, or -1. */
    private static long writtenAt(JsonNode line) {
        try {
            String at = line.path("timestamp").asText("");
            return at.isEmpty() ? -1 : Instant.parse(at).toEpochMilli();
        } catch (DateTimeParseException e) {
            return -1;
        }
    }
}
