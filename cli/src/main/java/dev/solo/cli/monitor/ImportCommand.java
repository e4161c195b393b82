package dev.solo.cli.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.solo.core.ServiceIdentity;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code solo monitor import [--days N]}: asks the running monitor to read past sessions from the
 * transcripts under the Claude config directory ({@code $CLAUDE_CONFIG_DIR}, else {@code ~/.claude},
 * as the monitor sees it) into streams marked "imported", never duplicating what its hooks already
 * stored. Exit 0 done, 1 failed, 3 no monitor running.
 */
@Command(
        mixinStandardHelpOptions = true,
        versionProvider = dev.solo.cli.Version.Provider.class,
        name = "import",
        description = "Import past Claude Code sessions from their transcripts (never duplicating hook events).")
final class ImportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    TargetOptions options;

    @Option(
            names = "--days",
            paramLabel = "N",
            description = "Only transcripts changed in the last N days (default: all).")
    Integer days;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (days != null && (days < 1 || days > 3650)) {
            throw new dev.solo.cli.UsageException("--days must be 1..3650, got " + days + ".");
        }
        Target t = options.target();
        Optional<ServiceIdentity> found = t.app().find();
        if (found.isEmpty()) {
            err.println("No solo monitor is running on " + t.describe() + ". Start it with '" + t.startCommand()
                    + "', then import.");
            return StatusCommand.NOT_RUNNING;
        }
        int port = found.get().port();
        out.println("Importing past sessions into the monitor on port " + port + "…");
        out.flush();
        try {
            HttpURLConnection c =
                    (HttpURLConnection) new URL("http://127.0.0.1:" + port + "/api/import").openConnection();
            c.setRequestMethod("POST");
            c.setConnectTimeout(2000);
            c.setReadTimeout(600_000);
            c.setRequestProperty(
                    "Authorization", "Bearer " + t.registry().token().value());
            c.setRequestProperty("Content-Type", "application/json");
            c.setDoOutput(true);
            try (OutputStream o = c.getOutputStream()) {
                o.write((days == null ? "{}" : "{\"days\":" + days + "}").getBytes(StandardCharsets.UTF_8));
            }
            int code = c.getResponseCode();
            String body;
            try (InputStream in = code < 400 ? c.getInputStream() : c.getErrorStream()) {
                body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            JsonNode json = parse(body);
            if (code != 200) {
                err.println("Error: the import failed (" + code + "): "
                        + json.path("error").asText(body));
                return 1;
            }
            long skipped = json.path("skipped_events").asLong();
            out.println("Imported " + count(json.path("events").asLong(), "event") + " of "
                    + count(json.path("sessions").asLong(), "session") + "; "
                    + count(skipped, "event") + (skipped == 1 ? " was" : " were") + " already there, "
                    + count(json.path("unchanged_sessions").asLong(), "session") + " had nothing new.");
            printProblems(json, err);
            out.println("Open the board to see them: solo monitor open" + (t.named() ? " --name " + t.name() : ""));
            return 0;
        } catch (IOException e) {
            err.println("Error: cannot reach the monitor on port " + port + ": " + e.getMessage());
            return 1;
        }
    }

    /**
     * One line per problem the monitor listed ({@code file, line N: what}), under a count of them all, and
     * how many more there were than it listed. Nothing when there were none.
     */
    static void printProblems(JsonNode json, PrintWriter err) {
        JsonNode listed = json.path("problems");
        long total = Math.max(json.path("problems_total").asLong(listed.size()), listed.size());
        if (total == 0) return;
        err.println(total + (total == 1 ? " problem" : " problems")
                + " while importing (what they concern was left out; the rest was imported):");
        for (JsonNode p : listed) {
            String where = p.path("file").asText("?")
                    + (p.path("line").asLong(0) > 0 ? ", line " + p.path("line").asLong() : "");
            err.println("  " + where + ": " + p.path("problem").asText(p.isTextual() ? p.asText() : p.toString()));
        }
        if (total > listed.size()) err.println("  … and " + (total - listed.size()) + " more.");
    }

    /** The monitor's JSON answer, or an empty object when it sent something else. */
    private static JsonNode parse(String body) {
        try {
            return new ObjectMapper().readTree(body.isEmpty() ? "{}" : body);
        } catch (IOException e) {
            return new ObjectMapper().createObjectNode();
        }
    }

    /** {@code "1 session"}, {@code "2 sessions"}. */
    static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
