package dev.solo.cli.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.solo.monitor.security.IngestKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hooks install} makes a settings file owner-only while it holds the ingest key; {@code hooks
 * uninstall} left it so for good, a 0644 file the user's tools (a dotfiles sync, an editor run as
 * another user) could read no more. Now install records the mode the file had, uninstall gives it back
 * (0644 for a file install created and the user filled since), and a file that still holds a key of ours
 * stays owner-only. Real {@code solo} processes, real files.
 */
class HooksModeIT {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;

    private SoloProcess.Result solo(Path cwd, String... args) throws Exception {
        return SoloProcess.runIn(cwd, home, SoloProcess.noClaude(home), List.of(), args);
    }

    private static String mode(Path file) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    private Path project(String name) throws Exception {
        return Files.createDirectories(home.resolve(name).resolve(".claude")).getParent();
    }

    @Test
    @Timeout(120)
    void uninstallGivesBackTheModeTheFileHadBeforeTheFirstInstall() throws Exception {
        Path dir = project("kept");
        Path settings = dir.resolve(".claude/settings.local.json");
        Files.writeString(settings, "{\n  \"model\": \"opus\"\n}\n");
        Files.setPosixFilePermissions(settings, PosixFilePermissions.fromString("rw-r--r--"));
        String port = Integer.toString(SoloProcess.freePort());
        for (int i = 0; i < 2; i++) { // the second install finds it 0600: the mode before the first is kept
            assertThat(solo(dir, "monitor", "hooks", "install", "--scope", "project", "--port", port)
                            .exit())
                    .isZero();
            assertThat(mode(settings)).isEqualTo("rw-------");
        }

        var r = solo(dir, "monitor", "hooks", "uninstall", "--scope", "project");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(mode(settings)).isEqualTo("rw-r--r--");
        assertThat(r.out()).contains("; other hooks and settings kept, mode rw-r--r-- again (as before install).");
        assertThat(Files.readString(settings)).contains("\"model\"").doesNotContain(IngestKey.PREFIX);
    }

    @Test
    @Timeout(120)
    void aFileInstallCreatedAndTheUserFilledSinceIs0644AfterUninstall() throws Exception {
        Path dir = project("created");
        Path settings = dir.resolve(".claude/settings.local.json");
        String port = Integer.toString(SoloProcess.freePort());
        assertThat(solo(dir, "monitor", "hooks", "install", "--scope", "project", "--port", port)
                        .exit())
                .isZero();
        ObjectNode root = (ObjectNode) JSON.readTree(settings.toFile());
        root.put("model", "opus");
        Files.writeString(settings, JSON.writeValueAsString(root));

        var r = solo(dir, "monitor", "hooks", "uninstall", "--scope", "project");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(mode(settings)).isEqualTo("rw-r--r--");
        assertThat(Files.readString(settings)).contains("\"model\"");
    }

    @Test
    @Timeout(120)
    void aFileThatStillHoldsOurKeyStaysOwnerOnly() throws Exception {
        Path dir = project("secret");
        Path settings = dir.resolve(".claude/settings.local.json");
        Files.writeString(settings, "{}\n");
        Files.setPosixFilePermissions(settings, PosixFilePermissions.fromString("rw-r--r--"));
        String port = Integer.toString(SoloProcess.freePort());
        assertThat(solo(dir, "monitor", "hooks", "install", "--scope", "project", "--port", port)
                        .exit())
                .isZero();
        // the user copied the key into a setting of their own
        ObjectNode root = (ObjectNode) JSON.readTree(settings.toFile());
        root.putObject("env").put("MONITOR_KEY", IngestKey.loadOrCreate(home).value());
        Files.writeString(settings, JSON.writeValueAsString(root));

        var r = solo(dir, "monitor", "hooks", "uninstall", "--scope", "project");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(mode(settings)).isEqualTo("rw-------");
        assertThat(r.out()).contains(", still owner-only (rw-------): it holds a solo key or token.");
        assertThat(Files.readString(settings)).contains("MONITOR_KEY");
    }
}
