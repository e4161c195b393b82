package dev.solo.cli.monitor;

import dev.solo.core.Registry;
import dev.solo.monitor.security.IngestKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The training run of {@link AotCache}, started by {@link AotCache#trainInBackground} as {@code java -cp
 * solo.jar dev.solo.cli.monitor.AotTraining DIR}: runs the monitor server child with the options a server
 * gets ({@link ChildJvm#options(String, Path)} for a class directory, {@link AotCache#runtimeOptions()}) and
 * {@code -XX:AOTCacheOutput}, in a temporary state directory and on a free loopback port; waits for its
 * {@code /health}; sends what a server meets in its first minutes ({@link #LIFE}: Claude Code's hooks, each
 * on a new connection as Claude Code sends them, and the dashboard's reads); stops it with {@code POST
 * /api/shutdown}, upon which the JVM writes the cache. The cache is then checked ({@code -XX:AOTMode=on}
 * exits when a cache cannot be used), moved to {@code DIR/}{@value AotCache#CACHE} and stamped. The claim
 * is released whatever happened; the output of every step goes to this process's output, {@value
 * AotCache#LOG}.
 */
public final class AotTraining {
    /** Hooks sent in the training life: enough that each route and every kind of event ran a few times. */
    static final int LIFE = 120;

    private static final long HEALTH_MILLIS = 120_000;
    private static final long EXIT_MILLIS = 300_000;
    private static final List<String> EVENTS = List.of(
            "SessionStart", "UserPromptSubmit", "PreToolUse", "PostToolUse", "Notification", "Stop", "SessionEnd");

    private AotTraining() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: AotTraining DIR");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        Path jar = Path.of(System.getProperty("java.class.path")).toAbsolutePath();
        int code;
        try {
            code = train(jar, dir) ? 0 : 1;
        } finally {
            Files.deleteIfExists(dir.resolve(AotCache.CLAIM));
        }
        System.exit(code);
    }

    /** Trains, checks and installs the cache for {@code jar} in {@code dir}; false (said why) when it failed. */
    static boolean train(Path jar, Path dir) throws IOException, InterruptedException {
        String java = Launcher.javaBinary();
        Path cache = dir.resolve(AotCache.CACHE);
        Path fresh = dir.resolve(AotCache.CACHE + ".new");
        Files.deleteIfExists(fresh);
        Path home = Files.createTempDirectory("solo-aot-training-"); // 0700
        try {
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            List<String> cmd = new ArrayList<>(List.of(java, "-Dsolo.home=" + home));
            cmd.addAll(ChildJvm.options(null)); // with AotCache.runtimeOptions()
            cmd.add("-Dorg.sqlite.tmpdir=" + home); // its native library is extracted there, and deleted with it
            cmd.add("-XX:AOTCacheOutput=" + fresh);
            cmd.addAll(List.of("-cp", jar.toString(), ChildMain.class.getName()));
            cmd.addAll(List.of("monitor", "--foreground", "--no-browser", "--port", Integer.toString(port)));
            ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO().redirectInput(ProcessBuilder.Redirect.PIPE);
            pb.environment().putAll(ChildJvm.environment());
            pb.environment().put("SOLO_HOME", home.toString());
            pb.environment().put("SOLO_MONITOR_CHILD", "1");
            Process server = pb.start();
            try {
                if (!healthy(server, port)) return false;
                live(port, home);
                send(
                        port,
                        "POST",
                        "/api/shutdown",
                        "{}",
                        Registry.at(home).token().value());
                if (!server.waitFor(EXIT_MILLIS, TimeUnit.MILLISECONDS)) {
                    System.out.println("AotTraining: the training server did not exit in " + EXIT_MILLIS / 1000 + " s");
                    return false;
                }
            } finally {
                server.destroyForcibly();
            }
            if (!Files.isRegularFile(fresh)) {
                System.out.println("AotTraining: the training server (exit " + server.exitValue() + ") wrote no cache");
                return false;
            }
            List<String> checkCmd = new ArrayList<>(List.of(java));
            checkCmd.addAll(ChildJvm.options(null)); // the server's options: the cache must fit them
            checkCmd.addAll(List.of("-XX:AOTMode=on", "-XX:AOTCache=" + fresh, "-cp", jar.toString(), "-version"));
            Process check = new ProcessBuilder(checkCmd).inheritIO().start();
            if (!check.waitFor(60, TimeUnit.SECONDS) || check.exitValue() != 0) {
                check.destroyForcibly();
                System.out.println("AotTraining: the JVM cannot use the cache it wrote; none installed");
                return false;
            }
            Files.deleteIfExists(dir.resolve(AotCache.STAMP)); // the old cache is not used while it is replaced
            Files.move(fresh, cache, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            AotCache.stamp(jar, cache);
            System.out.println("AotTraining: installed " + cache + " (" + Files.size(cache) + " bytes)");
            return true;
        } finally {
            Files.deleteIfExists(fresh);
            try (Stream<Path> all = Files.walk(home)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }

    /** Waits for the server's first 200 on {@code /health} while it lives. */
    private static boolean healthy(Process server, int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(HEALTH_MILLIS);
        while (server.isAlive() && System.nanoTime() - deadline < 0) {
            try {
                if (send(port, "GET", "/health", null, null) == 200) return true;
            } catch (IOException notYet) {
                // not listening yet
            }
            server.waitFor(50, TimeUnit.MILLISECONDS); // back-off between probes, ends early if it dies
        }
        System.out.println("AotTraining: the training server did not answer /health (alive: " + server.isAlive() + ")");
        return false;
    }

    /** A short life: hooks of one session, then what the dashboard reads. Answers are not judged. */
    private static void live(int port, Path home) throws IOException {
        String key = IngestKey.loadOrCreate(home).value();
        for (int i = 0; i < LIFE; i++) {
            String event = EVENTS.get(i % EVENTS.size());
            String body =
                    "{\"session_id\":\"aot-training\",\"transcript_path\":\"/nonexistent/aot.jsonl\",\"cwd\":\"/\","
                            + "\"hook_event_name\":\"" + event
                            + "\",\"tool_name\":\"Bash\",\"tool_input\":{\"command\":\"ls\"},"
                            + "\"tool_response\":{\"stdout\":\"a\\nb\"},\"prompt\":\"list the files\",\"message\":\"waiting\"}";
            send(port, "POST", "/api/hooks", body, key);
        }
        String token = Registry.at(home).token().value();
        for (String path :
                List.of("/", "/api/status", "/api/streams", "/api/board", "/api/events?stream=aot-training&limit=50")) {
            send(port, "GET", path, null, token);
        }
    }

    /** One request on a new connection; returns the status code. */
    private static int send(int port, String method, String path, String body, String bearer) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(30_000);
            byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            String head = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
                    + (bearer == null ? "" : "Authorization: Bearer " + bearer + "\r\n")
                    + (body == null
                            ? ""
                            : "Content-Type: application/json\r\nContent-Length: " + content.length + "\r\n")
                    + "Connection: close\r\n\r\n";
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(content);
            out.flush();
            InputStream in = s.getInputStream();
            String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            in.transferTo(OutputStream.nullOutputStream());
            return status.startsWith("HTTP/1.1 ") ? Integer.parseInt(status.substring(9, 12)) : -1;
        }
    }
}
