package dev.solo.cli.ocr;

import dev.solo.core.Registry;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import javax.imageio.ImageIO;

/** Ports, environments, images and raw-socket exchanges shared by the {@code solo ocr} process tests. */
final class Fixtures {
    private Fixtures() {}

    /**
     * A range of {@code size} loopback ports that are free now (each one bound and released, on
     * 127.0.0.1 and, where it exists, ::1), below the kernel's ephemeral range (32768-60999 on Linux)
     * so an outgoing connection never lands on one, and never 8765.
     */
    static int[] freeRange(int size) throws IOException {
        for (int attempt = 0; attempt < 200; attempt++) {
            int start = ThreadLocalRandom.current().nextInt(10_000, 32_768 - size);
            if (start <= 8765 && 8765 < start + size) continue;
            boolean free = true;
            for (int p = start; p < start + size && free; p++) {
                free = bindable(p, "127.0.0.1") && bindable(p, "::1");
            }
            if (free) return new int[] {start, start + size - 1};
        }
        throw new IOException("no free range of " + size + " loopback ports found");
    }

    /** Whether this machine has an IPv6 loopback the resident also binds. */
    private static final boolean IPV6 = bindable(0, "::1");

    private static boolean bindable(int port, String address) {
        if (port != 0 && address.equals("::1") && !IPV6) return true;
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new java.net.InetSocketAddress(InetAddress.getByName(address), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The environment of a child: its own SOLO_HOME and port range, and DISPLAY when given. */
    static Map<String, String> env(Path home, int[] range, String display) {
        Map<String, String> env = new HashMap<>();
        env.put("SOLO_HOME", home.toString());
        env.put("SINGLEINSTANCE_PORT_START", Integer.toString(range[0]));
        env.put("SINGLEINSTANCE_PORT_END", Integer.toString(range[1]));
        env.put("DISPLAY", display);
        return env;
    }

    static String token(Path home) {
        return Registry.at(home).token().value();
    }

    /** Sends {@code request}, reads the whole answer until the resident closes. */
    static String exchange(int port, byte[] request) throws IOException {
        try (Socket s = new Socket(InetAddress.getByName("127.0.0.1"), port)) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(request);
            out.flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** An open connection that has sent {@code request}; read its answer later. */
    static Socket send(int port, byte[] request) throws IOException {
        Socket s = new Socket(InetAddress.getByName("127.0.0.1"), port);
        s.setSoTimeout(60_000);
        s.getOutputStream().write(request);
        s.getOutputStream().flush();
        return s;
    }

    static String readAll(Socket s) throws IOException {
        try (s;
                InputStream in = s.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** A PNG of black text lines on white. */
    static byte[] png(List<String> lines, int size) throws IOException {
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, size);
        BufferedImage img =
                new BufferedImage(60 + size * 20, (lines.size() + 1) * size * 2, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setColor(Color.BLACK);
        g.setFont(font);
        for (int i = 0; i < lines.size(); i++) g.drawString(lines.get(i), 30, (i + 1) * size * 2);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    /** A one-bit white PNG of that size: 20000x20000 pixels compress to a few tens of kilobytes. */
    static byte[] blankPng(int w, int h) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_BINARY);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    /** A PNG of a QR code holding {@code text}, 4 pixels per module, on white with a margin. */
    static byte[] qrPng(String text) throws Exception {
        com.google.zxing.common.BitMatrix m =
                new com.google.zxing.qrcode.QRCodeWriter().encode(text, com.google.zxing.BarcodeFormat.QR_CODE, 0, 0);
        int module = 4;
        BufferedImage img = new BufferedImage(
                (m.getWidth() + 8) * module, (m.getHeight() + 8) * module, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setColor(Color.BLACK);
        for (int y = 0; y < m.getHeight(); y++) {
            for (int x = 0; x < m.getWidth(); x++) {
                if (m.get(x, y)) g.fillRect((x + 4) * module, (y + 4) * module, module, module);
            }
        }
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    /** The resident set size of a process in KiB, from /proc (Linux); 0 elsewhere. */
    static long rssKiB(long pid) throws IOException {
        Path status = Path.of("/proc/" + pid + "/status");
        if (!java.nio.file.Files.exists(status)) return 0;
        for (String line : java.nio.file.Files.readAllLines(status)) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", ""));
        }
        return 0;
    }

    /** Lower-case words, punctuation dropped. */
    static List<String> words(String text) {
        return List.of(text.toLowerCase(Locale.ROOT)
                        .replaceAll("[^\\p{L}\\p{N}\\s]", " ")
                        .strip()
                        .split("\\s+"))
                .stream()
                .filter(w -> !w.isEmpty())
                .toList();
    }
}
