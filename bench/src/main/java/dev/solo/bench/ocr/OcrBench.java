package dev.solo.bench.ocr;

import dev.solo.ocr.engine.NoTextException;
import dev.solo.ocr.engine.Reading;
import dev.solo.ocr.engine.tesseract.TesseractEngine;
import dev.solo.ocr.testing.Cer;
import dev.solo.ocr.testing.ScreenCorpus;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The twenty screen images of {@link ScreenCorpus} read by solo's embedded engine and by the plain
 * {@code tesseract} command side by side, in the same run: character error rates (ignoring whitespace,
 * and counting line breaks and indentation) and time per image.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.solo.bench.ocr.OcrBench [--rounds N] [--tesseract PATH]
 *     [--jar cli/target/solo.jar]
 * </pre>
 *
 * <ul>
 *   <li><b>solo, warm engine</b>: {@code Reading.of} (codes, then Tesseract with solo's layout) in this
 *       JVM, after one warm-up pass; what a warm resident spends per image.
 *   <li><b>tesseract command</b>: {@code tesseract IMAGE -} as a user runs it (default page
 *       segmentation, its own English model), a whole process per image: the baseline.
 *   <li><b>solo ocr --file, delegated</b> (with {@code --jar}): the whole client process against a
 *       warm resident started by the benchmark, the figure a script sees.
 * </ul>
 *
 * Times are medians over images of the median over {@code rounds} runs per image; ratios are solo's
 * time divided by the command's, measured in the same run. Exit 0, or 2 for bad usage.
 */
public final class OcrBench {
    private OcrBench() {}

    public static void main(String[] args) throws Exception {
        int rounds = 5;
        String tesseract = "tesseract";
        Path jar = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--tesseract" -> tesseract = args[++i];
                case "--jar" -> jar = Path.of(args[++i]);
                default -> {
                    System.err.println("unknown option " + args[i]
                            + "; usage: OcrBench [--rounds N] [--tesseract PATH] [--jar cli/target/solo.jar]");
                    System.exit(2);
                }
            }
        }
        System.exit(run(rounds, tesseract, jar, System.out));
    }

    /** One image's figures. */
    record Row(
            String name,
            Cer.Count soloChars,
            Cer.Count soloLayout,
            Cer.Count cmdChars,
            Cer.Count cmdLayout,
            double soloMs,
            double cmdMs,
            double fileMs) {}

    static int run(int rounds, String tesseract, Path jar, PrintStream out) throws Exception {
        Path work = Files.createTempDirectory("solo-ocr-bench");
        List<ScreenCorpus.Sample> samples = ScreenCorpus.samples();
        List<Row> rows = new ArrayList<>();
        try (TesseractEngine engine = TesseractEngine.load(work.resolve("cache"));
                WarmResident resident = jar == null ? null : WarmResident.start(jar, work)) {
            for (ScreenCorpus.Sample s : samples) read(engine, s); // warm-up
            for (ScreenCorpus.Sample s : samples) {
                Path file = Files.write(work.resolve(s.name() + "." + s.format()), s.encoded());
                String soloText = read(engine, s);
                String cmdText = command(tesseract, file);
                double[] solo = new double[rounds];
                double[] cmd = new double[rounds];
                double[] viaFile = new double[rounds];
                for (int r = 0; r < rounds; r++) {
                    long t0 = System.nanoTime();
                    read(engine, s);
                    long t1 = System.nanoTime();
                    command(tesseract, file);
                    long t2 = System.nanoTime();
                    if (resident != null) resident.file(file);
                    long t3 = System.nanoTime();
                    solo[r] = (t1 - t0) / 1e6;
                    cmd[r] = (t2 - t1) / 1e6;
                    viaFile[r] = (t3 - t2) / 1e6;
                }
                rows.add(new Row(
                        s.name(),
                        Cer.ignoringWhitespace(soloText, s.text()),
                        Cer.layout(soloText, s.text()),
                        Cer.ignoringWhitespace(cmdText, s.text()),
                        Cer.layout(cmdText, s.text()),
                        median(solo),
                        median(cmd),
                        resident == null ? Double.NaN : median(viaFile)));
            }
        }
        report(rows, rounds, jar != null, out);
        return 0;
    }

    private static String read(TesseractEngine engine, ScreenCorpus.Sample s) throws InterruptedException {
        try {
            return Reading.of(s.image(), engine).text();
        } catch (NoTextException e) {
            return "";
        }
    }

    /** {@code tesseract FILE -}: its text on stdout. */
    static String command(String tesseract, Path file) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(tesseract, file.toString(), "-")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(tesseract + " did not finish " + file + " within 60 s");
        }
        if (p.exitValue() != 0) throw new IOException(tesseract + " exited " + p.exitValue() + " on " + file);
        return text;
    }

    static void report(List<Row> rows, int rounds, boolean withFile, PrintStream out) {
        out.println("| image | solo CER (no whitespace) | tesseract CER | solo CER (layout) | tesseract CER (layout)"
                + " | solo warm ms | tesseract ms" + (withFile ? " | solo ocr --file ms" : "") + " |");
        out.println("|---|---:|---:|---:|---:|---:|---:|" + (withFile ? "---:|" : ""));
        Cer.Count sc = new Cer.Count(0, 0), sl = sc, cc = sc, cl = sc;
        for (Row r : rows) {
            sc = sc.plus(r.soloChars());
            sl = sl.plus(r.soloLayout());
            cc = cc.plus(r.cmdChars());
            cl = cl.plus(r.cmdLayout());
            out.println(String.format(
                    Locale.ROOT,
                    "| %s | %.2f %% | %.2f %% | %.2f %% | %.2f %% | %.0f | %.0f%s |",
                    r.name(),
                    100 * r.soloChars().rate(),
                    100 * r.cmdChars().rate(),
                    100 * r.soloLayout().rate(),
                    100 * r.cmdLayout().rate(),
                    r.soloMs(),
                    r.cmdMs(),
                    withFile ? String.format(Locale.ROOT, " | %.0f", r.fileMs()) : ""));
        }
        double soloMs = median(rows.stream().mapToDouble(Row::soloMs).toArray());
        double cmdMs = median(rows.stream().mapToDouble(Row::cmdMs).toArray());
        out.println();
        out.println(String.format(
                Locale.ROOT,
                "CER over all %d images: solo %.2f %% ignoring whitespace, %.2f %% layout-sensitive;"
                        + " tesseract command %.2f %% and %.2f %%.",
                rows.size(),
                100 * sc.rate(),
                100 * sl.rate(),
                100 * cc.rate(),
                100 * cl.rate()));
        out.println(String.format(
                Locale.ROOT,
                "Median per-image CER: solo %.2f %% / %.2f %%; tesseract command %.2f %% / %.2f %%.",
                100
                        * median(rows.stream()
                                .mapToDouble(r -> r.soloChars().rate())
                                .toArray()),
                100
                        * median(rows.stream()
                                .mapToDouble(r -> r.soloLayout().rate())
                                .toArray()),
                100 * median(rows.stream().mapToDouble(r -> r.cmdChars().rate()).toArray()),
                100
                        * median(rows.stream()
                                .mapToDouble(r -> r.cmdLayout().rate())
                                .toArray())));
        out.println(String.format(
                Locale.ROOT,
                "Median time per image (median of %d runs each): solo warm engine %.0f ms, tesseract command %.0f ms:"
                        + " ratio %.2f×.",
                rounds,
                soloMs,
                cmdMs,
                soloMs / cmdMs));
        if (withFile) {
            double fileMs = median(rows.stream().mapToDouble(Row::fileMs).toArray());
            out.println(String.format(
                    Locale.ROOT,
                    "solo ocr --file (whole client process, delegated to a warm resident): %.0f ms: ratio %.2f× the"
                            + " tesseract command.",
                    fileMs,
                    fileMs / cmdMs));
        }
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        if (v.length == 0) return Double.NaN;
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
