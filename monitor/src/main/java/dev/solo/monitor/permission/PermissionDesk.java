package dev.solo.monitor.permission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.solo.monitor.derive.Summary;
import dev.solo.monitor.store.StoredEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * Holds a {@code PermissionRequest} HTTP hook's answer while the user decides on the page.
 *
 * <p>When answering from the page is on for the stream ({@link HoldSettings}) and a dashboard is open
 * (a live feed is connected: {@code presence}), {@link #offer} returns a future that completes with the
 * hook's response body once the user clicks Allow or Deny ({@link #answer}): {@code
 * {"hookSpecificOutput":{"hookEventName":"PermissionRequest","decision":{"behavior":"allow"}}}}, or
 * {@code "deny"} with a {@code message} to Claude. Claude Code then skips the terminal prompt. With no
 * answer within the timeout, when the last dashboard closes (after {@value #GRACE_MS} ms without one),
 * or at shutdown, it completes with {@code ""}: an empty 2xx, no decision, so the terminal asks as
 * usual. Everything else completes with {@code ""} at once.
 *
 * <p>Thread-safe. Timeouts, the presence check and the {@link #every watches} run on the {@code
 * monitor-permissions} thread.
 */
public final class PermissionDesk implements AutoCloseable {
    static final long GRACE_MS = 3000;
    /** The desk's own tick: the presence check, and the {@link #every watches}. */
    static final long TICK_MS = 500;

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final CompletableFuture<String> NO_DECISION = CompletableFuture.completedFuture("");

    /** A prompt being held. */
    public record Hold(
            String id,
            String stream,
            long eventId,
            String tool,
            String detail,
            JsonNode input,
            Instant since,
            Instant deadline,
            String agentId,
            String toolUseId,
            CompletableFuture<String> answer) {
        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", id);
            m.put("stream", stream);
            m.put("event_id", eventId);
            m.put("tool", tool);
            m.put("detail", detail);
            m.put("input", input);
            m.put("since", since.toString());
            m.put("deadline", deadline.toString());
            return m;
        }
    }

    private final Path file;
    private final IntSupplier presence;
    private final Clock clock;
    private final Map<String, Hold> holds = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;
    private volatile HoldSettings settings;
    private volatile long lastPresent;
    private final List<Watch> watches = new CopyOnWriteArrayList<>();
    private final OpenCalls calls = new OpenCalls();
    private final Settling settling = new Settling(calls);
    /** Ticks so far; the desk's thread only. */
    private long ticks;

    /**
     * @param file where the settings are kept (read now, written on change); null keeps them in memory
     * @param presence how many dashboards are connected now
     */
    public PermissionDesk(Path file, IntSupplier presence, Clock clock) {
        this.file = file;
        this.presence = presence;
        this.clock = clock;
        this.settings = HoldSettings.load(file);
        this.lastPresent = 0; // no dashboard seen yet
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "monitor-permissions");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
    }

    public HoldSettings settings() {
        return settings;
    }

    /** Changes the settings (see {@link HoldSettings#with}) and keeps them; holds in progress stay. */
    public synchronized HoldSettings update(JsonNode body) throws IOException {
        HoldSettings next = settings.with(body);
        if (file != null) next.save(file);
        settings = next;
        return next;
    }

    /**
     * The hook's answer for the stored event {@code e}: held (see the class comment) for a {@code
     * PermissionRequest} of a stream that holds while a dashboard is open; else {@code ""} at once.
     */
    public CompletableFuture<String> offer(StoredEvent e) {
        if (!"PermissionRequest".equals(e.event()) || !settings.holds(e.stream()) || !present()) return NO_DECISION;
        JsonNode p;
        try {
            p = Summary.hookObject(MAPPER.readTree(e.json()));
        } catch (IOException ex) {
            return NO_DECISION;
        }
        Instant now = clock.instant();
        Instant deadline = now.plus(settings.timeout());
        JsonNode input = p.get("tool_input");
        Hold h;
        synchronized (this) { // two prompts for the same command claim two calls
            String call = calls.find(
                    e.stream(),
                    e.agentId(),
                    e.tool(),
                    input,
                    holds.values().stream().map(Hold::toolUseId).toList());
            h = new Hold(
                    UUID.randomUUID().toString(),
                    e.stream(),
                    e.id(),
                    e.tool(),
                    Summary.input(e.tool(), input),
                    input,
                    now,
                    deadline,
                    e.agentId(),
                    call,
                    new CompletableFuture<>());
            holds.put(h.id(), h);
        }
        // the hook's answer completes only after the hold is gone: whoever gets it sees no hold left
        CompletableFuture<String> answered = h.answer().whenComplete((body, failure) -> holds.remove(h.id()));
        try {
            timer.schedule(() -> h.answer().complete(""), settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            h.answer().complete("");
        }
        return answered;
    }

    /**
     * Releases, with no decision, the hold that {@code e} shows was settled without the page (see {@link
     * Settling}), and learns the calls that begin. Called for every stored event, in the order they were
     * stored; costs nothing for streams that do not hold.
     */
    public void settle(StoredEvent e) {
        settling.settle(e, settings.holds(e.stream()), holds.values());
    }

    /**
     * Answers hold {@code id}: {@code behavior} {@code allow} or {@code deny}, with an optional message
     * to Claude (deny only). False when there is no such hold any more (answered, timed out, released).
     *
     * @throws IllegalArgumentException for another behavior or a message over 2,000 characters
     */
    public boolean answer(String id, String behavior, String message) {
        if (!"allow".equals(behavior) && !"deny".equals(behavior)) {
            throw new IllegalArgumentException("behavior must be \"allow\" or \"deny\", got \"" + behavior + "\"");
        }
        if (message != null && message.length() > 2000) {
            throw new IllegalArgumentException(
                    "the message is " + message.length() + " characters; keep it under 2,000");
        }
        Hold h = holds.get(id);
        if (h == null) return false;
        return h.answer().complete(decision(behavior, message));
    }

    static String decision(String behavior, String message) {
        ObjectNode root = MAPPER.createObjectNode();
        ObjectNode out = root.putObject("hookSpecificOutput");
        out.put("hookEventName", "PermissionRequest");
        ObjectNode d = out.putObject("decision");
        d.put("behavior", behavior);
        if (behavior.equals("deny")) {
            d.put(
                    "message",
                    message == null || message.isBlank() ? "Denied from the solo monitor dashboard." : message);
        }
        return root.toString();
    }

    /** The prompts held now, oldest first. */
    public List<Map<String, Object>> holds() {
        List<Hold> all = new ArrayList<>(holds.values());
        all.sort(Comparator.comparing(Hold::since));
        List<Map<String, Object>> out = new ArrayList<>();
        for (Hold h : all) out.add(h.toMap());
        return out;
    }

    private boolean present() {
        if (presence.getAsInt() > 0) {
            lastPresent = clock.millis();
            return true;
        }
        return clock.millis() - lastPresent < GRACE_MS;
    }

    /** A check run every {@code ticks} of the desk's tick. */
    private record Watch(long ticks, Runnable check) {}

    private void tick() {
        if (!present()) for (Hold h : holds.values()) h.answer().complete("");
        ticks++;
        for (Watch w : watches) {
            if (ticks % w.ticks() != 0) continue;
            try {
                w.check().run();
            } catch (RuntimeException e) {
                System.err.println("solo-monitor: a permission check failed: " + e);
            }
        }
    }

    /**
     * Runs {@code check} on the desk's thread about every {@code period} (rounded up to the desk's own
     * 500 ms tick, on which it rides, so it costs an idle monitor no wake-up of its own), until {@link
     * #close()}: for watches over the prompts that belong with the desk's timeouts ({@link
     * TerminalAnswers}). A check that throws is reported and runs again at its next turn.
     */
    public void every(Duration period, Runnable check) {
        watches.add(new Watch(Math.max(1, (period.toMillis() + TICK_MS - 1) / TICK_MS), check));
    }

    /** Releases every hold with no decision and stops the timer. Idempotent. */
    @Override
    public void close() {
        for (Hold h : holds.values()) h.answer().complete("");
        timer.shutdownNow();
    }
}
