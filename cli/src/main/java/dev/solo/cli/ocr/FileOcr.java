package dev.solo.cli.ocr;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.solo.cli.Version;
import dev.solo.core.ConfigException;
import dev.solo.core.Outcome;
import dev.solo.core.Registry;
import dev.solo.core.SingleInstance;
import dev.solo.ocr.config.OcrConfig;
import dev.solo.ocr.engine.EngineSpec;
import dev.solo.ocr.engine.Engines;
import dev.solo.ocr.engine.ImageText;
import dev.solo.ocr.engine.JsonMapper;
import dev.solo.ocr.engine.OcrEngine;
import dev.solo.ocr.engine.OcrException;
import dev.solo.ocr.engine.Reading;
import dev.solo.ocr.resident.JobArgs;
import dev.solo.ocr.resident.OcrResident;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * {@code solo ocr --file PATH|- [--json]}: the image goes to a warm resident with {@code IMAGE}
 * when one answers, else it is read by an engine loaded in this process.
 */
final class FileOcr {
    private final OcrConfig config;
    private final Registry registry;
    private final PrintWriter out;
    private final PrintWriter err;

    FileOcr(OcrConfig config, Registry registry, PrintWriter out, PrintWriter err) {
        this.config = config;
        this.registry = registry;
        this.out = out;
        this.err = err;
    }

    int run(String file, boolean json) throws InterruptedException {
        long start = System.nanoTime();
        String what = file.equals("-") ? "stdin" : file;
        byte[] bytes;
        try {
            bytes = read(file);
        } catch (TooLarge e) {
            OcrCommand.error(err, what + " " + e.getMessage());
            return OcrCommand.FAILED;
        } catch (IOException e) {
            OcrCommand.error(
                    err,
                    "cannot read " + what + ": " + e.getMessage() + ". Give a PNG or JPEG file, or '-' for stdin.");
            return OcrCommand.FAILED;
        }
        try {
            Engines.check(config);
        } catch (ConfigException e) {
            OcrCommand.error(err, e.getMessage());
            return OcrCommand.FAILED;
        }
        SingleInstance app = OcrResident.app(config, registry, Version.get(), null);
        Outcome outcome = app.tryRunOnce("IMAGE", JobArgs.format(EngineSpec.of(config), json), bytes);
        if (outcome instanceof Outcome.Delegated d) {
            String payload = d.text();
            if (json) payload = withTotals(payload, true, d.resident().port(), start);
            OcrCommand.printText(out, payload);
            return 0;
        }
        if (!OcrCommand.FALLBACK.runStandalone(outcome)) {
            if (outcome instanceof Outcome.ResidentError e) {
                return OcrCommand.residentError(
                        err, new Outcome.ResidentError(e.resident(), e.error().replace("the IMAGE body", what)));
            }
            OcrCommand.error(err, outcome.message());
            return OcrCommand.FAILED;
        }
        OcrCommand.sayWhyStandalone(err, outcome);
        try (OcrEngine engine = Engines.create(config, registry.home())) {
            ImageText result =
                    ImageText.read(bytes, what, config.maxPixels(), engine.name(), image -> Reading.of(image, engine));
            OcrCommand.printText(out, json ? withTotals(result.toJson(), false, 0, start) : result.text());
            return 0;
        } catch (ConfigException | OcrException e) {
            OcrCommand.error(err, e.getMessage());
            return OcrCommand.FAILED;
        }
    }

    /** Adds where it ran and the whole time to the engine's JSON. */
    private static String withTotals(String json, boolean delegated, int port, long start) {
        try {
            ObjectNode node = (ObjectNode) JsonMapper.MAPPER.readTree(json);
            node.put("delegated", delegated);
            if (delegated) node.put("port", port);
            node.put("total_ms", (System.nanoTime() - start) / 1_000_000);
            return JsonMapper.MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException | ClassCastException e) {
            throw new OcrException(
                    "the resident answered --json with something that is not a JSON object: "
                            + json.substring(0, Math.min(200, json.length())),
                    e);
        }
    }

    /** An input longer than any image {@code IMAGE} takes, refused before it is read whole. */
    private static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        /** @param size the size in bytes, or -1 when it is not known (stdin, a device) */
        TooLarge(long size) {
            super("is " + (size < 0 ? "" : size + " bytes, ") + "larger than the 64 MiB (" + MAX_BYTES
                    + " bytes) solo ocr reads as one image; crop it, or save it as a compressed PNG or JPEG");
        }
    }

    private static final int MAX_BYTES = OcrResident.MAX_IMAGE_BYTES;

    /**
     * The bytes of {@code file}, or of stdin for '-', at most {@link OcrResident#MAX_IMAGE_BYTES}: the
     * resident takes no larger image, and the same limit holds here so that an answer never depends on
     * whether a resident runs (and {@code /dev/zero} or a 3 GB file is an error, not an exhausted heap).
     */
    private static byte[] read(String file) throws IOException {
        if (file.equals("-")) return bounded(System.in);
        Path path = Path.of(file);
        if (Files.isDirectory(path)) throw new IOException("it is a directory");
        if (Files.isRegularFile(path) && Files.size(path) > MAX_BYTES) {
            throw new TooLarge(Files.size(path));
        }
        try (InputStream in = Files.newInputStream(path)) {
            return bounded(in);
        } catch (NoSuchFileException e) {
            throw new IOException("no such file", e);
        }
    }

    private static byte[] bounded(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(MAX_BYTES + 1);
        if (bytes.length > MAX_BYTES) throw new TooLarge(-1);
        return bytes;
    }
}
