package dev.solo.cli.monitor;

import dev.solo.core.ClaimResult;
import dev.solo.core.Registry;
import dev.solo.monitor.hooks.HooksInstaller;
import dev.solo.monitor.hooks.InstallList;
import dev.solo.monitor.hooks.InstallList.Install;
import dev.solo.monitor.security.IngestKey;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What solo does to every settings file it wrote hooks into ({@link InstallList}), not only the one of
 * the current directory: rewrite them all with the current ingest key and port ({@link #refresh}, after
 * a rotation or a moved named monitor), and report each with its port, its key and whether a monitor
 * answers there ({@link #status}).
 *
 * <p>Installs from before the list existed are adopted when met: the user settings file, and the
 * project file of the current directory, if they hold hooks of ours.
 */
final class Installs {
    static final String REFRESH = "solo monitor hooks refresh";

    private Installs() {}

    /** The list, with the user and current project files adopted when they hold our hooks. */
    static List<Install> all(Registry registry, Map<String, String> env) throws IOException {
        InstallList list = InstallList.in(registry.home());
        for (String scope : List.of("user", "project")) {
            Path file = ClaudeSettings.of(scope, env);
            if (list.find(file).isPresent() || !Files.isRegularFile(file)) continue;
            HooksInstaller.Status s;
            try {
                s = HooksInstaller.status(file, null, null);
            } catch (IOException unreadable) {
                continue; // not ours to judge; 'hooks install' there reports it
            }
            if (!s.events().isEmpty() && s.port() != 0) {
                list.put(new Install(file, scope, s.port(), "", false));
            }
        }
        return list.read();
    }

    /**
     * Rewrites every install with {@code key} (and a named monitor's hooks with the port it keeps now),
     * each file atomically; prints each file rewritten to {@code out}, each it could not rewrite with why
     * and the fix to {@code err}. Entries whose file is gone, or holds no hooks of ours any more, are
     * dropped from the list and said so. {@code onlyName}: only the installs of that named monitor
     * (null: all). Returns the number of files it could not rewrite.
     */
    static int refresh(Registry registry, IngestKey key, String onlyName, PrintWriter out, PrintWriter err)
            throws IOException {
        InstallList list = InstallList.in(registry.home());
        int failed = 0;
        for (Install i : all(registry, System.getenv())) {
            if (onlyName != null && !onlyName.equals(i.name())) continue;
            if (!Files.exists(i.file())) {
                list.remove(i.file());
                out.println("Dropped " + i.file() + " from the list: the file no longer exists.");
                continue;
            }
            try {
                HooksInstaller.Status s = HooksInstaller.status(i.file(), key, null);
                if (s.events().isEmpty()) {
                    list.remove(i.file());
                    out.println("Dropped " + i.file() + " from the list: it holds no solo hooks any more.");
                    continue;
                }
                int port = portFor(registry, i, s);
                Install now = i.withPort(port);
                int n = HooksInstaller.reinstall(i.file(), key, port, autostart(registry, now));
                list.put(now);
                out.println("Rewrote " + i.file() + " (" + n + " events, port " + port + ", current ingest key).");
            } catch (IOException | RuntimeException e) {
                failed++;
                err.println("Error: could not rewrite " + i.file() + ": " + oneLine(e) + " Its hooks are"
                        + " refused until it is fixed; then run '" + REFRESH + "'.");
            }
        }
        return failed;
    }

    /** The SessionStart hook's start command for the monitor of {@code i} ({@link Autostart}), or null. */
    static String autostart(Registry registry, Install i) throws IOException {
        return Autostart.write(registry.home(), i.targetOptions()).orElse(null);
    }

    /** The port the hooks of {@code i} should post to: the one its named monitor keeps, else theirs. */
    private static int portFor(Registry registry, Install i, HooksInstaller.Status s) {
        if (!i.name().isEmpty()) {
            var kept = NamedPorts.get(registry.home(), i.name());
            if (kept.isPresent()) return kept.getAsInt();
        }
        return s.port();
    }

    /**
     * One line per install: the file, its scope and port, the event count, whether its key is current
     * and whether a monitor of ours answers on its port; each problem with the command that fixes it.
     * Returns 0 when every install is sound, 1 when any needs the user.
     */
    static int status(Registry registry, IngestKey key, PrintWriter out) throws IOException {
        List<Install> all = all(registry, System.getenv());
        if (all.isEmpty()) {
            out.println("No solo monitor hooks are installed (none in "
                    + InstallList.in(registry.home()).file()
                    + ", " + ClaudeSettings.of("user", System.getenv()) + " or "
                    + ClaudeSettings.of("project", System.getenv())
                    + "). Run 'solo monitor hooks install'.");
            return 0;
        }
        int problems = 0;
        for (Install i : all) {
            List<String> issues = new ArrayList<>();
            String line = line(registry, key, i, issues);
            out.println(line);
            for (String issue : issues) out.println("  " + issue);
            if (!issues.isEmpty()) problems++;
        }
        return problems == 0 ? 0 : 1;
    }

    private static String line(Registry registry, IngestKey key, Install i, List<String> issues) throws IOException {
        String where = i.file() + " (" + i.scope() + (i.name().isEmpty() ? "" : ", instance '" + i.name() + "'");
        if (!Files.exists(i.file())) {
            issues.add("Gone: the file no longer exists. Fix: '" + REFRESH + "' drops it from the list.");
            return where + ")";
        }
        HooksInstaller.Status s;
        try {
            s = HooksInstaller.status(i.file(), key, registry.token().value());
        } catch (IOException e) {
            issues.add("Unreadable: " + oneLine(e));
            return where + ")";
        }
        if (s.events().isEmpty()) {
            issues.add("Removed: it holds no solo hooks any more. Fix: '" + REFRESH + "' drops it from the list,"
                    + " or 'solo monitor hooks install' there puts them back.");
            return where + ")";
        }
        StringBuilder b =
                new StringBuilder(where).append(", port ").append(s.port()).append("): ");
        b.append(s.events().size()).append(" events, ");
        if (s.stale().isEmpty()) {
            b.append("key current, ");
        } else {
            b.append("key STALE, ");
            issues.add("Stale: " + s.stale().size() + " hooks carry "
                    + (s.token()
                            ? "the monitor's token (they still deliver, but the token opens everything and does not"
                                    + " belong in a settings file)"
                            : "an ingest key that is no longer current; the monitor refuses them and their events"
                                    + " are lost")
                    + ". Fix: '" + REFRESH + "'.");
        }
        int kept = portFor(registry, i, s);
        if (kept != s.port()) {
            issues.add("Moved: the named monitor '" + i.name() + "' keeps port " + kept + " now, but these hooks post"
                    + " to " + s.port() + ". Fix: '" + REFRESH + "'.");
        }
        Target t = i.name().isEmpty() ? Target.of(s.port(), null) : Target.of(null, i.name());
        Optional<ClaimResult> holder = t.app().inspect();
        if (holder.isEmpty()) {
            b.append("no monitor answers");
            issues.add("Orphaned: no solo monitor runs on " + t.describe() + ", so these hooks lose their events."
                    + " Fix: 'solo monitor " + i.targetOptions() + "'.");
        } else if (holder.get() instanceof ClaimResult.Running r) {
            b.append("monitor answers (pid ").append(r.identity().pid()).append(")");
        } else {
            b.append("port held by something else");
            issues.add(Holder.describe(holder.get()));
        }
        return b.append('.').toString();
    }

    /** An error as one line: its message, lines joined. */
    static String oneLine(Exception e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        return String.join(" ", m.lines().map(String::strip).toList());
    }
}
