package dev.solo.bench.monitor;

import dev.solo.monitor.security.PeerUser;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What the monitor's connection cap pays to learn who is at the other end of its connections, with 150,
 * 500 and 2,000 loopback connections open (real sockets of this JVM, so the kernel's tables hold both ends
 * of each): one read of {@code /proc/net/tcp} and {@code tcp6} as bytes (the floor: the kernel writing the
 * text), {@link PeerUser#owners} for every open connection (what the cap did on Jetty's selector thread for
 * each connection accepted above 128), and for one connection (what a sweep that looks up only the new
 * ones costs). Linux only.
 *
 * <p>{@code java -cp bench/target/benchmarks.jar dev.solo.bench.monitor.PeerTableBench [reps]}; put another
 * build's {@code monitor/target/classes} and {@code core/target/classes} first on the class path to measure
 * its {@code PeerUser} the same way. Prints one Markdown row per size: median and range in microseconds.
 */
public final class PeerTableBench {
    private static final int[] SIZES = {150, 500, 2000};

    private PeerTableBench() {}

    public static void main(String[] args) throws Exception {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 31;
        System.out.println("load average before: " + load());
        System.out.println("| open connections | table lines | read tcp+tcp6 | owners of all | owners of one |");
        System.out.println("|---|---|---|---|---|");
        for (int n : SIZES) measure(n, reps);
        System.out.println("load average after: " + load());
    }

    private static void measure(int n, int reps) throws IOException {
        List<Socket> sockets = new ArrayList<>();
        try (ServerSocket server = new ServerSocket(0, n, InetAddress.getLoopbackAddress())) {
            List<InetSocketAddress> locals = new ArrayList<>();
            List<InetSocketAddress> peers = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                sockets.add(new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort()));
                Socket accepted = server.accept();
                sockets.add(accepted);
                locals.add((InetSocketAddress) accepted.getLocalSocketAddress());
                peers.add((InetSocketAddress) accepted.getRemoteSocketAddress());
            }
            List<InetSocketAddress> oneLocal = List.of(locals.get(n - 1));
            List<InetSocketAddress> onePeer = List.of(peers.get(n - 1));
            long[] read = new long[reps];
            long[] all = new long[reps];
            long[] one = new long[reps];
            long sink = 0;
            for (int w = 0; w < 5; w++)
                sink += PeerUser.owners(locals, peers)[0] + PeerUser.owners(oneLocal, onePeer)[0];
            for (int r = 0; r < reps; r++) {
                long t0 = System.nanoTime();
                sink += Files.readAllBytes(Path.of("/proc/net/tcp")).length
                        + Files.readAllBytes(Path.of("/proc/net/tcp6")).length;
                long t1 = System.nanoTime();
                int[] owners = PeerUser.owners(locals, peers);
                long t2 = System.nanoTime();
                sink += PeerUser.owners(oneLocal, onePeer)[0];
                long t3 = System.nanoTime();
                if (Arrays.stream(owners).anyMatch(u -> u < 0))
                    throw new IllegalStateException("an owner of the " + n + " connections was not found");
                read[r] = t1 - t0;
                all[r] = t2 - t1;
                one[r] = t3 - t2;
            }
            long lines = Files.readAllLines(Path.of("/proc/net/tcp")).size()
                    + Files.readAllLines(Path.of("/proc/net/tcp6")).size()
                    - 2;
            System.out.println("| " + n + " | " + lines + " | " + stat(read) + " | " + stat(all) + " | " + stat(one)
                    + " |" + (sink == 42 ? " " : ""));
        } finally {
            for (Socket s : sockets) s.close();
        }
    }

    /** "median µs (min-max)". */
    private static String stat(long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        return s[s.length / 2] / 1000 + " µs (" + s[0] / 1000 + "-" + s[s.length - 1] / 1000 + ")";
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "?";
        }
    }
}
