package dev.solo.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real small disk for the full-disk tests: a tmpfs of a given size mounted on a directory of the test's,
 * filled to its last block on request, unmounted on {@link #close()}. Mounting needs root (CI runs as
 * root); where it cannot be had, the test is aborted as skipped with the reason.
 */
public final class Tmpfs implements AutoCloseable {
    private final Path dir;

    private Tmpfs(Path dir) {
        this.dir = dir;
    }

    /**
     * Mounts a tmpfs of {@code size} ({@code mount -o size=}, such as {@code 300k} or {@code 4m}) on {@code
     * dir}, made if missing.
     */
    public static Tmpfs mount(Path dir, String size) throws IOException, InterruptedException {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "mounting a tmpfs needs root");
        Files.createDirectories(dir);
        Assumptions.assumeTrue(
                run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString()) == 0,
                "cannot mount a tmpfs here (a container without CAP_SYS_ADMIN?)");
        return new Tmpfs(dir);
    }

    /** Where it is mounted. */
    public Path dir() {
        return dir;
    }

    /**
     * Writes zeros to {@code name} in it until the disk refuses more: afterwards not even one more block
     * fits. Deleting the file gives the space back.
     *
     * @return the file
     */
    public Path fill(String name) throws IOException {
        Path file = dir.resolve(name);
        byte[] block = new byte[4096];
        try (OutputStream out = Files.newOutputStream(file)) {
            while (true) out.write(block);
        } catch (IOException full) {
            // the disk is full now
        }
        if (Files.getFileStore(file).getUsableSpace() >= block.length) {
            throw new IllegalStateException(dir + " still has room after filling " + file);
        }
        return file;
    }

    /** Unmounts it. */
    @Override
    public void close() throws IOException, InterruptedException {
        run("umount", dir.toString());
    }

    private static int run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }
}
