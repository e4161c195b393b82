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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Finds the permission prompts the user rejected in Claude Code's terminal, which no hook reports:
 * Claude Code (2.1.197) writes the rejection into the transcript only ({@code "toolUseResult":"User
 * rejected tool use"}, then {@code [Request interrupted by user for tool use]}) and waits for the next
 * prompt. Until then the stream would read "waiting for you: Edit …" and a held prompt would keep its
 * Allow and Deny on the card.
 *
 * <p>{@link #check} looks at every stream that waits on a {@code PermissionRequest}: when the transcript
 * of the agent that asked (the main one, or its subagent's) grew since the last look and holds such a
 * line written after the request, it records {@link PermissionAnswered#inTerminal} ({@value
 * PermissionAnswered#REJECTED}: the wait ends and the stream rests until the next prompt) and hands the
 * stored event to {@code settled} (which releases a hold). Only the last {@value #TAIL}
 * bytes are read. Called by one thread at a time.
 */
public final class TerminalAnswers {
    static final int TAIL = 256 * 1024;
    static final String REJECTED = "User rejected tool use";
    static final String INTERRUPTED = "[Request interrupted by user for tool use]";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Claude Code's clock and the monitor's are the same machine's; a line a moment older still counts. */
    private static final long SLACK_MS = 1000;

    private final EventStore store;
    private final ClaudeHome home;
    private final Consumer<StoredEvent> settled;
    /** The transcript size at the last look, by request event id: unchanged means nothing new to read. */
    private final Map<Long, Long> looked = new ConcurrentHashMap<>();

    public TerminalAnswers(EventStore store, ClaudeHome home, Consumer<StoredEvent> settled) {
        this.store = store;
        this.home = home;
        this.settled = settled;
    }

    /** Looks once at every stream waiting on a permission prompt; how many it found answered. */
    public int check() {
        int found = 0;
        Set<Long> waiting = new HashSet<>();
        for (StreamInfo s : store.streams()) {
            if (s.waitingReason() == null || !"PermissionRequest".equals(s.lastWaitingEvent())) continue;
            List<StoredEvent> last = store.latestOf(s.id(), List.of("PermissionRequest"), 1);
            if (last.isEmpty()) continue;
            StoredEvent request = last.get(0);
            waiting.add(request.id());
            if (!rejectedAfter(request)) continue;
            waiting.remove(request.id());
            try {
                settled.accept(
                        store.append(PermissionAnswered.inTerminal(request)).join());
                found++;
            } catch (RuntimeException e) {
                System.err.println("solo-monitor: cannot record a prompt rejected in the terminal: " + e.getMessage());
            }
        }
        looked.keySet().retainAll(waiting); // requests answered since, in the terminal or otherwise
        return found;
    }

    /** Whether the transcript of the agent that made {@code request} rejected it after it was made. */
    boolean rejectedAfter(StoredEvent request) {
        Path file;
        try {
            JsonNode p = Summary.hookObject(MAPPER.readTree(request.json()));
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
            String text = new String(tail, StandardCharsets.UTF_8);
            long since = request.receivedMillis() - SLACK_MS;
            for (String line : text.split("\n")) {
                if (!line.contains(REJECTED) && !line.contains(INTERRUPTED)) continue;
                if (writtenAt(line) >= since) return true;
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    /** The line's {@code timestamp} in epoch ms, or -1 (a line cut by the tail, or without one). */
    private static long writtenAt(String line) {
        try {
            String at = MAPPER.readTree(line).path("timestamp").asText("");
            return at.isEmpty() ? -1 : Instant.parse(at).toEpochMilli();
        } catch (IOException | DateTimeParseException e) {
            return -1;
        }
    }
}
