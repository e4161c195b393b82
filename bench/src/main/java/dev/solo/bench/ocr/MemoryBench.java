package dev.solo.bench.ocr;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * The resident's memory around large images (issue 8, point 10), on Linux: its RSS idle, after
 * three 6000x6000 (36 megapixel) PNGs with text, and after a 48 KB PNG that claims 20000x20000
 * pixels, each sent as a whole {@code solo ocr --file} process, with the time the refusal took.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.solo.bench.ocr.MemoryBench cli/target/solo.jar
 * </pre>
 */
public final class MemoryBench {
    private MemoryBench() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: MemoryBench cli/target/solo.jar");
            System.exit(2);
        }
        Path work = Files.createTempDirectory("solo-ocr-memory");
        Path big = work.resolve("big36.png");
        ImageIO.write(textPage(6000), "png", big.toFile());
        Path bomb = work.resolve("bomb.png");
        ImageIO.write(new BufferedImage(20_000, 20_000, BufferedImage.TYPE_BYTE_BINARY), "png", bomb.toFile());
        try (WarmResident r = WarmResident.start(Path.of(args[0]), work)) {
            System.out.println("| step | resident RSS |");
            System.out.println("|---|---:|");
            System.out.println("| idle, engine loaded | " + r.rssMegabytes() + " MB |");
            for (int i = 1; i <= 3; i++) {
                r.file(big);
                Thread.sleep(3000); // the trim runs after the answer; give it a moment, then look
                System.out.println("| after 36 MP job " + i + ", 3 s later | " + r.rssMegabytes() + " MB |");
            }
            long t0 = System.nanoTime();
            int exit = r.fileExit(bomb);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.out.println("| after a " + Files.size(bomb) / 1024 + " KB PNG of 20000x20000 (exit " + exit
                    + ", whole client process " + ms + " ms) | " + r.rssMegabytes() + " MB |");
        }
    }

    private static BufferedImage textPage(int n) {
        BufferedImage img = new BufferedImage(n, n, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, n, n);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 40));
        for (int y = 100; y < n; y += 600) g.drawString("Large screenshot line at " + y + " pixels down", 100, y);
        g.dispose();
        return img;
    }
}
