package dev.solo.core.testapp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Iterator;

/**
 * The other local user of the trust review, as a program: the attack tests start it as {@code nobody}
 * ({@code setpriv --reuid=nobody ...}) and read what it got from its stdout. It never needs solo's
 * classes. Every mode runs until its stdin closes unless it says otherwise.
 *
 * <pre>
 * Attacker flood PORT N [E]      hold N idle connections, reopening each one the resident closes;
 *                                prints "HOLDING N" once all are open, "EVICTED E" once the resident has
 *                                closed E of them (when E is given), then "CLOSED k" when stdin ends
 * Attacker raw PORT LINE         one connection, LINE + "\n", prints "ANSWER <base64 of the answer>", exits
 * Attacker relay PORT TARGET     binds 127.0.0.1:PORT, passes each first line to 127.0.0.1:TARGET and the
 *                                first answer line back; prints "RELAYING", then "GOT <base64>" per connection
 * Attacker mkhome DIR            creates DIR (0700) with a token file of its own (0600); prints "PLANTED"
 * Attacker uds PATH LINE         connects to the Unix socket PATH and sends LINE; prints "ANSWER <base64>"
 *                                or "REFUSED <reason>", exits
 * Attacker squat-uds PATH        binds a Unix socket at PATH, records what clients send; prints "LISTENING",
 *                                then "GOT <base64>" per connection
 * </pre>
 */
public final class Attacker {
    private static final PrintStream OUT = System.out;

    private Attacker() {}

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "flood" ->
                flood(
                        Integer.parseInt(args[1]),
                        Integer.parseInt(args[2]),
                        args.length > 3 ? Long.parseLong(args[3]) : -1);
            case "raw" -> raw(Integer.parseInt(args[1]), args[2]);
            case "relay" -> relay(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
            case "mkhome" -> mkhome(Path.of(args[1]));
            case "uds" -> uds(Path.of(args[1]), args[2]);
            case "squat-uds" -> squatUds(Path.of(args[1]));
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    private static void say(String line) {
        synchronized (OUT) {
            OUT.println(line);
            OUT.flush();
        }
    }

    private static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** Holds {@code n} connections that send nothing; a connection the resident closes is reopened. */
    private static void flood(int port, int n, long expectEvicted) throws Exception {
        InetSocketAddress target = new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), port);
        Thread stdin = stdinWatcher();
        long closedByResident = 0;
        try (Selector selector = Selector.open()) {
            for (int i = 0; i < n; i++) open(selector, target);
            say("HOLDING " + n);
            ByteBuffer sink = ByteBuffer.allocate(4096);
            while (stdin.isAlive()) {
                selector.select(100);
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    SocketChannel ch = (SocketChannel) key.channel();
                    int r;
                    try {
                        sink.clear();
                        r = ch.read(sink);
                    } catch (IOException reset) {
                        r = -1;
                    }
                    if (r < 0) {
                        closedByResident++;
                        if (closedByResident == expectEvicted) say("EVICTED " + expectEvicted);
                        key.cancel();
                        ch.close();
                        open(selector, target);
                    }
                }
            }
            for (SelectionKey key : selector.keys()) key.channel().close();
        }
        say("CLOSED " + closedByResident);
    }

    private static void open(Selector selector, InetSocketAddress target) throws IOException {
        SocketChannel ch = SocketChannel.open(target);
        ch.configureBlocking(false);
        ch.register(selector, SelectionKey.OP_READ);
    }

    private static void raw(int port, String line) throws IOException {
        try (Socket s = new Socket(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), port)) {
            s.setSoTimeout(15_000);
            s.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
            s.getOutputStream().flush();
            say("ANSWER " + b64(readAll(s.getInputStream())));
        }
    }

    /** A squatter on a port of the user's that passes each client's first line on to a live resident. */
    private static void relay(int port, int target) throws Exception {
        InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        Thread stdin = stdinWatcher();
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(loopback, port));
            server.setSoTimeout(100);
            say("RELAYING");
            while (stdin.isAlive()) {
                Socket client;
                try {
                    client = server.accept();
                } catch (java.net.SocketTimeoutException e) {
                    continue;
                }
                try (client;
                        Socket resident = new Socket(loopback, target)) {
                    client.setSoTimeout(3000);
                    resident.setSoTimeout(3000);
                    ByteArrayOutputStream got = new ByteArrayOutputStream();
                    byte[] first = readLine(client.getInputStream());
                    got.write(first);
                    resident.getOutputStream().write(first);
                    client.getOutputStream().write(readLine(resident.getInputStream()));
                    try {
                        got.write(readAll(client.getInputStream())); // whatever the client sends next
                    } catch (IOException timeout) {
                        // the client gave up on us
                    }
                    say("GOT " + b64(got.toByteArray()));
                } catch (IOException e) {
                    say("GOT " + b64(new byte[0]));
                }
            }
        }
    }

    private static void mkhome(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        Path token = dir.resolve("token");
        Files.writeString(token, "a".repeat(64) + "\n");
        Files.setPosixFilePermissions(token, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        say("PLANTED");
    }

    private static void uds(Path path, String line) {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            ch.write(ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
            ch.shutdownOutput();
            say("ANSWER " + b64(readAll(java.nio.channels.Channels.newInputStream(ch))));
        } catch (IOException e) {
            say("REFUSED " + e.getMessage());
        }
    }

    /** A socket of another user where the user's resident would put its own. */
    private static void squatUds(Path path) throws Exception {
        Thread stdin = stdinWatcher();
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(path));
            server.configureBlocking(false);
            say("LISTENING");
            try (Selector selector = Selector.open()) {
                server.register(selector, SelectionKey.OP_ACCEPT);
                while (stdin.isAlive()) {
                    if (selector.select(100) == 0) continue;
                    selector.selectedKeys().clear();
                    SocketChannel ch = server.accept();
                    if (ch == null) continue;
                    try (ch) {
                        ch.configureBlocking(true);
                        byte[] line = readLine(java.nio.channels.Channels.newInputStream(ch));
                        say("GOT " + b64(line));
                    }
                }
            } finally {
                Files.deleteIfExists(path);
            }
        }
    }

    private static byte[] readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            line.write(b);
            if (b == '\n') break;
        }
        return line.toByteArray();
    }

    private static byte[] readAll(InputStream in) throws IOException {
        return in.readAllBytes();
    }

    /** A daemon thread that ends when stdin does: the tests' clean stop. */
    private static Thread stdinWatcher() {
        Thread t = new Thread(
                () -> {
                    try {
                        InputStream in = System.in;
                        while (in.read() >= 0) {
                            // only the end matters
                        }
                    } catch (IOException e) {
                        // broken: the same as closed
                    }
                },
                "attacker-stdin");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
