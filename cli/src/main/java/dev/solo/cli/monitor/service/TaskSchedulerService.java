package dev.solo.cli.monitor.service;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Windows (written, untested on Windows): the logon task of {@link WindowsTask}, registered with {@code
 * schtasks}. Its XML is kept in the state directory's {@code service/} folder (Task Scheduler keeps its
 * own copy). There is no socket activation on Windows, so nothing holds the port while the monitor is
 * down: a plain {@code solo monitor stop} is final until the next logon, and {@link #active()} says no.
 */
final class TaskSchedulerService implements ServiceManager {
    private final ServiceSpec spec;
    private final Path xml;
    private final String user;
    private final String task;

    TaskSchedulerService(ServiceSpec spec, Path dir, String user) {
        this.spec = spec;
        this.task = WindowsTask.name(spec.port());
        this.xml = dir.resolve(task + ".xml");
        this.user = user;
    }

    @Override
    public String describe() {
        return "the logon task " + task + " (Task Scheduler)";
    }

    @Override
    public boolean installed() {
        return Files.exists(xml);
    }

    /** Always false: no socket holds the port between runs, so the ordinary stop is enough. */
    @Override
    public boolean active() {
        return false;
    }

    @Override
    public int install(boolean enable, PrintWriter out, PrintWriter err) throws IOException {
        Files.createDirectories(xml.getParent());
        Files.createDirectories(spec.log().getParent());
        String text = WindowsTask.xml(spec.port(), spec.command(), user, spec.home());
        // UTF-16 little-endian with a byte order mark, as the declaration says and schtasks reads it.
        Files.writeString(xml, "\uFEFF" + text, StandardCharsets.UTF_16LE);
        out.println("Wrote " + xml + " (the logon task is untested on Windows; see docs/monitor.md).");
        String create = String.join(" ", WindowsTask.create(spec.port(), xml));
        if (!enable) {
            out.println("Register it with: " + create);
            return 0;
        }
        String next = "The task's XML is written; register it yourself with '" + create + "'.";
        boolean ok = SystemCommand.step(WindowsTask.create(spec.port(), xml), next, out, err)
                && SystemCommand.step(
                        WindowsTask.run(spec.port()),
                        "The task is registered and starts at your next logon; start it now with '"
                                + String.join(" ", WindowsTask.run(spec.port())) + "'.",
                        out,
                        err);
        return ok ? 0 : 1;
    }

    @Override
    public int uninstall(boolean enable, PrintWriter out, PrintWriter err) throws IOException {
        if (enable && installed()) {
            SystemCommand.run(WindowsTask.end(spec.port())); // fails when it does not run: that is fine
            boolean ok = SystemCommand.step(
                    WindowsTask.delete(spec.port()),
                    "Nothing was removed. Delete the task with '" + String.join(" ", WindowsTask.delete(spec.port()))
                            + "', then run this again.",
                    out,
                    err);
            if (!ok) return 1;
        }
        out.println(Files.deleteIfExists(xml) ? "Removed " + xml + "." : "No " + xml + "; nothing removed.");
        return 0;
    }

    @Override
    public int status(PrintWriter out, PrintWriter err) {
        if (!installed()) {
            out.println("No logon task for port " + spec.port() + " (" + xml + " does not exist). Run 'solo monitor"
                    + " service install --port " + spec.port() + "'.");
            return 3;
        }
        out.println("Task XML: " + xml + ".");
        SystemCommand.Result r = SystemCommand.run(WindowsTask.query(spec.port()));
        if (!r.ok()) {
            err.println("Error: '" + String.join(" ", WindowsTask.query(spec.port())) + "' failed: "
                    + r.text().strip() + ". Register the task with '"
                    + String.join(" ", WindowsTask.create(spec.port(), xml)) + "'.");
            return 1;
        }
        out.println(r.text().strip());
        return 0;
    }

    @Override
    public int stop(PrintWriter out, PrintWriter err) {
        return SystemCommand.step(
                        WindowsTask.end(spec.port()),
                        "End it in Task Scheduler, or with 'solo monitor stop --port " + spec.port() + "'.",
                        out,
                        err)
                ? 0
                : 1;
    }

    @Override
    public int restart(PrintWriter out, PrintWriter err) {
        SystemCommand.run(WindowsTask.end(spec.port()));
        String next = "Start it with '" + String.join(" ", WindowsTask.run(spec.port())) + "'.";
        return SystemCommand.step(WindowsTask.run(spec.port()), next, out, err) ? 0 : 1;
    }
}
