package dev.solo.ocr.engine.tesseract;

import dev.solo.ocr.engine.OcrException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the Tesseract models ({@code <lang>.traineddata}) for a language list such as {@code
 * deu+eng}, never from the network: first in the user's model folder ({@code OCR_TESSDATA}, by
 * default {@code <solo home>/tessdata}), then among the models built into our jar (English, unpacked
 * at build time from the Tess4J artifact on Maven Central).
 *
 * <p>Tesseract reads all models of one engine from one directory. When every model is in the user's
 * folder that folder is used as it is; otherwise the models are copied to {@code
 * <cacheRoot>/tessdata} (a copy whose size matches is reused; writes are atomic, since two processes
 * may race here).
 */
final class Tessdata {
    static final String BUNDLED = "tessdata/";

    private Tessdata() {}

    /**
     * The directory to give Tesseract for {@code languages}.
     *
     * @param languages {@code +}-separated model names, already checked
     * @param userDir the user's model folder (may not exist)
     * @param userDirSource where {@code userDir} came from, for the error message
     * @throws OcrException naming each missing language and where to put it
     */
    static Path ensure(String languages, Path userDir, String userDirSource, Path cacheRoot) {
        Map<String, Object> sources = new LinkedHashMap<>(); // Path in userDir, or URL in our jar
        List<String> missing = new ArrayList<>();
        for (String lang : languages.split("\\+")) {
            Path user = userDir.resolve(lang + ".traineddata");
            URL bundled = Tessdata.class.getResource(BUNDLED + lang + ".traineddata");
            if (Files.isRegularFile(user)) sources.put(lang, user);
            else if (bundled != null) sources.put(lang, bundled);
            else missing.add(lang);
        }
        if (!missing.isEmpty()) {
            String files = String.join(
                    ", ", missing.stream().map(l -> l + ".traineddata").toList());
            throw new OcrException("no Tesseract model for the language" + (missing.size() > 1 ? "s " : " ")
                    + String.join(", ", missing) + " (OCR_LANG=" + languages + "). Put " + files + " into " + userDir
                    + " (" + userDirSource + "), e.g. from the tessdata_fast collection or your system's"
                    + " tesseract-ocr-" + missing.get(0) + " package; solo never downloads models."
                    + " Built in: eng.");
        }
        if (sources.values().stream().allMatch(s -> s instanceof Path)) return userDir;
        Path dir = cacheRoot.resolve("tessdata");
        for (Map.Entry<String, Object> e : sources.entrySet()) {
            Path target = dir.resolve(e.getKey() + ".traineddata");
            long size = -1;
            try {
                if (e.getValue() instanceof Path p) {
                    size = Files.size(p);
                    copy(size, () -> Files.newInputStream(p), dir, target);
                } else {
                    URL url = (URL) e.getValue();
                    size = url.openConnection().getContentLengthLong();
                    copy(size, url::openStream, dir, target);
                }
            } catch (IOException ex) {
                long free = freeBytes(cacheRoot);
                String next = size > 0 && free >= 0 && free < size
                        ? "The disk holding it has " + free + " bytes free and the model needs " + size
                                + ": free some space there, or point SOLO_HOME at a directory on another disk."
                        : "Make the directory writable, or point SOLO_HOME at a writable one.";
                throw new OcrException(
                        "cannot write the Tesseract model to " + target + ": " + ex.getMessage() + ". " + next, ex);
            }
        }
        return dir;
    }

    /** The bytes free for this user where {@code dir} is (or its nearest existing parent), or -1. */
    private static long freeBytes(Path dir) {
        Path p = dir.toAbsolutePath();
        while (p != null && !Files.exists(p)) p = p.getParent();
        try {
            return p == null ? -1 : Files.getFileStore(p).getUsableSpace();
        } catch (IOException e) {
            return -1;
        }
    }

    private interface Source {
        InputStream open() throws IOException;
    }

    private static void copy(long size, Source source, Path dir, Path target) throws IOException {
        if (Files.isRegularFile(target) && Files.size(target) == size) return;
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, target.getFileName().toString(), ".tmp");
        try (InputStream in = source.open()) {
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
