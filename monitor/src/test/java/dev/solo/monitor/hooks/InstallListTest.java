package dev.solo.monitor.hooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.solo.monitor.hooks.InstallList.Install;
import dev.solo.monitor.security.IngestKey;
import dev.solo.testing.Child;
import dev.solo.testing.Children;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The list of settings files with our hooks, and what uninstall leaves of a file it created. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class InstallListTest {
    @TempDir
    Path dir;

    @RegisterExtension
    final Children children = new Children();

    @Test
    void entriesRoundTripOnePerFileInAnOwnerOnlyFile() throws Exception {
        InstallList list = InstallList.in(dir);
        assertThat(list.read()).isEmpty();
        Path a = dir.resolve("a/settings.json");
        Path b = dir.resolve("b/.claude/settings.local.json");
        list.put(new Install(a, "user", 8765, "", false));
        list.put(new Install(b, "project", 41234, "demo", true));
        list.put(new Install(a, "user", 9000, "", false)); // the same file again: replaced in place
        assertThat(list.read())
                .containsExactly(
                        new Install(a, "user", 9000, "", false), new Install(b, "project", 41234, "demo", true));
        assertThat(list.find(b))
                .hasValueSatisfying(i -> assertThat(i.targetOptions()).isEqualTo("--name demo"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(list.file())))
                .isEqualTo("rw-------");
        assertThat(list.remove(a)).isTrue();
        assertThat(list.remove(a)).isFalse();
        assertThat(list.read()).extracting(Install::file).containsExactly(b);
        assertThat(dir).isDirectoryNotContaining("glob:**.tmp");
    }

    @Test
    void aListThatIsNotOursIsAnErrorWithThePathAndIsNotOverwritten() throws Exception {
        InstallList list = InstallList.in(dir);
        Files.writeString(list.file(), "[1,2");
        assertThatThrownBy(list::read)
                .isInstanceOf(IOException.class)
                .hasMessageContaining(list.file().toString())
                .hasMessageContaining("Move it aside");
        assertThatThrownBy(() -> list.put(new Install(dir.resolve("s.json"), "user", 1, "", false)))
                .isInstanceOf(IOException.class);
        assertThat(Files.readString(list.file())).isEqualTo("[1,2");
    }

    @Test
    void installsFromManyProcessesAtOnceAreAllKept() {
        int processes = 4;
        int each = 25;
        List<Child> writers = new ArrayList<>();
        for (int p = 0; p < processes; p++) {
            writers.add(
                    children.start(InstallListWriter.class, dir.resolve("home"), dir.toString(), "p" + p, "" + each));
        }
        for (Child c : writers)
            assertThat(c.awaitExit(Duration.ofSeconds(60))).as(c.dump()).isZero();
        assertThat(readQuietly(InstallList.in(dir))).hasSize(processes * each);
        assertThat(dir).isDirectoryNotContaining("glob:**.tmp");
    }

    @Test
    void installsFromManyThreadsAtOnceAreAllKept() throws Exception {
        InstallList list = InstallList.in(dir);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 20; i++) {
                        list.put(new Install(dir.resolve("t" + thread + "-" + i + ".json"), "user", 1 + i, "", false));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) f.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertThat(list.read()).hasSize(160);
    }

    private static List<Install> readQuietly(InstallList list) {
        try {
            return list.read();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void entriesValidate() {
        assertThatThrownBy(() -> new Install(Path.of("rel.json"), "user", 1, "", false))
                .hasMessageContaining("absolute");
        assertThatThrownBy(() -> new Install(dir, "global", 1, "", false)).hasMessageContaining("'global'");
        assertThatThrownBy(() -> new Install(dir, "user", 0, "", false)).hasMessageContaining("got 0");
    }

    @Test
    void uninstallDeletesOnlyAFileItCreatedAndLeftEmpty() throws Exception {
        IngestKey key = IngestKey.loadOrCreate(dir.resolve("home"));
        Path created = dir.resolve("p/.claude/settings.local.json");
        HooksInstaller.install(created, List.of("SessionStart", "PreToolUse"), 8765, key);
        assertThat(HooksInstaller.uninstall(created, true)).isEqualTo(2);
        assertThat(created).doesNotExist();
        assertThat(created.getParent()).doesNotExist();

        Path theirs = dir.resolve("q/settings.json");
        Files.createDirectories(theirs.getParent());
        Files.writeString(theirs, "{\"hooks\":{\"Stop\":[{\"hooks\":[{\"type\":\"command\",\"command\":\"true\"}]}]}}");
        HooksInstaller.install(theirs, List.of("Stop"), 8765, key);
        assertThat(HooksInstaller.uninstall(theirs, false)).isEqualTo(1);
        assertThat(Files.readString(theirs)) // byte for byte as the user wrote it
                .isEqualTo("{\"hooks\":{\"Stop\":[{\"hooks\":[{\"type\":\"command\",\"command\":\"true\"}]}]}}");

        Path emptied = dir.resolve("r/settings.json");
        Files.createDirectories(emptied.getParent());
        Files.writeString(emptied, "{}");
        HooksInstaller.install(emptied, List.of("Stop"), 8765, key);
        HooksInstaller.uninstall(emptied, false);
        assertThat(Files.readString(emptied)).isEqualTo("{}"); // the user's own (empty) file stays
    }

    @Test
    void statusTellsThePortAndReinstallCanMoveIt() throws Exception {
        IngestKey key = IngestKey.loadOrCreate(dir.resolve("home"));
        Path settings = dir.resolve("settings.json");
        HooksInstaller.install(settings, List.of("SessionStart", "PreToolUse"), 41234, key);
        assertThat(HooksInstaller.status(settings, key, null).port()).isEqualTo(41234);
        assertThat(HooksInstaller.reinstall(settings, key, 41240)).isEqualTo(2);
        assertThat(HooksInstaller.status(settings, key, null).port()).isEqualTo(41240);
        assertThat(Files.readString(settings)).doesNotContain("41234");
        assertThat(HooksInstaller.status(dir.resolve("none.json"), key, null).port())
                .isZero();
    }
}
