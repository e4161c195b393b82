package dev.solo.ocr.engine.tesseract;

import dev.solo.ocr.engine.OcrException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The English model, {@code eng.traineddata}: built into our jar (unpacked at build time from the
 * Tess4J artifact on Maven Central) and copied to a cache directory at first use, because
 * Tesseract reads models from a directory, not from a class path.
 */
final class Tessdata {
    static final String RESOURCE = "tessdata/eng.traineddata";

    private Tessdata() {}

    /**
     * The directory holding {@code eng.traineddata}, under {@code cacheRoot}; the copy is reused when
     * its size matches, and written atomically otherwise (two processes may race here).
     */
    static Path ensure(Path cacheRoot) {
        var url = Tessdata.class.getResource(RESOURCE);
        if (url == null) {
            throw new OcrException("the English Tesseract model (" + RESOURCE + ") is missing from the solo jar;"
                    + " rebuild it with ./mvnw -pl cli -am package");
        }
        Path dir = cacheRoot.resolve("tessdata");
        Path target = dir.resolve("eng.traineddata");
        try {
            long size = url.openConnection().getContentLengthLong();
            if (Files.isRegularFile(target) && Files.size(target) == size) return dir;
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "eng.", ".tmp");
            try (InputStream in = url.openStream()) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
            return dir;
        } catch (IOException e) {
            throw new OcrException(
                    "cannot write the Tesseract model to " + target + ": " + e.getMessage()
                            + ". Make the directory writable, or point SOLO_HOME at a writable one.",
                    e);
        }
    }
}
