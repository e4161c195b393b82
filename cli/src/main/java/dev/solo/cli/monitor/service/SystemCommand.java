package dev.solo.cli.monitor.service;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A service manager's command line tool ({@code systemctl}, {@code launchctl}, {@code schtasks}) run to
 * its end: at most {@value #WAIT_SECONDS} s, output and errors together, stdin closed.
 */
final class SystemCommand {
    static final int WAIT_SECONDS = 30;

    private SystemCommand() {}

    /**
     * What a run gave.
     *
     * @param code the exit code; -1 when the program could not be started or did not end in time
     * @param text what it printed (or why it did not run)
     */
    record Result(int code, String text) {
        boolean ok() {
            return code == 0;
        }
    }

    static Result run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            if (!p.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "no answer within " + WAIT_SECONDS + " s");
            }
            return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-1, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }

    /**
     * Runs {@code cmd} and prints {@code Ran: <cmd>}; on failure prints what failed, with its output,
     * and {@code next} (what to do about it). Returns whether it succeeded.
     */
    static boolean step(List<String> cmd, String next, PrintWriter out, PrintWriter err) {
        Result r = run(cmd);
        if (!r.ok()) {
            String said = r.text().strip();
            err.println("Error: '" + String.join(" ", cmd) + "' "
                    + (r.code() == -1 ? "could not run" : "exited with " + r.code())
                    + (said.isEmpty() ? "" : ": " + said) + ". " + next);
            return false;
        }
        out.println("Ran: " + String.join(" ", cmd));
        return true;
    }
}
