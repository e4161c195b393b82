package dev.solo.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.solo.core.internal.Platform;
import dev.solo.core.support.Residents;
import dev.solo.testing.Ports;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8 points 8 and 9: the state directory and the token file must be this user's (root included),
 * and every way they can be wrong is one line that names the path and says what to do.
 * {@code it.AttackIT} has the same planted directory made by the real user {@code nobody}.
 */
class OwnershipTest {
    /** nobody's uid on Linux. */
    private static final int NOBODY = 65534;

    @TempDir
    Path dir;

    private static void assumeRoot() {
        assumeTrue(Platform.uid() == 0, "only root can give a file to another user (run as root, as CI does)");
    }

    private static void giveTo(Path p, int uid) throws Exception {
        Files.setAttribute(p, "unix:uid", uid);
    }

    private static void assertOneLine(Throwable e) {
        assertThat(e.getMessage())
                .doesNotContain("\n")
                .doesNotContain("java.nio")
                .doesNotContain("Exception");
    }

    @Test
    void aStateDirectoryOfAnotherUserIsRefusedWithItsOwner() throws Exception {
        assumeRoot();
        Path home = dir.resolve("planted");
        Files.createDirectories(home);
        Path token = home.resolve("token");
        Files.writeString(token, Token.random().value() + "\n");
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
        giveTo(token, NOBODY);
        giveTo(home, NOBODY);
        Registry registry = Registry.at(home);

        assertThatThrownBy(registry::token)
                .isInstanceOf(RegistryException.class)
                .hasMessageStartingWith(home + " belongs to user '")
                .hasMessageContaining("(uid " + NOBODY + ")")
                .hasMessageContaining("not to you (" + Platform.user() + ", uid 0)")
                .hasMessageContaining("Set SOLO_HOME to a directory of yours")
                .satisfies(OwnershipTest::assertOneLine);
        SingleInstance app = Residents.app(home, PortPolicy.fixed(Ports.free())).build();
        assertThatThrownBy(app::claim).isInstanceOf(RegistryException.class);
        assertThat(Files.getAttribute(home, "unix:uid")).as("left as it was").isEqualTo(NOBODY);
        assertThat(Files.exists(home.resolve("instances")))
                .as("nothing written")
                .isFalse();
    }

    @Test
    void aTokenFileOfAnotherUserInOurDirectoryIsRefused() throws Exception {
        assumeRoot();
        Path home = dir.resolve("home");
        Registry registry = Registry.at(home);
        registry.token(); // ours, created
        Files.delete(registry.tokenFile());
        Files.writeString(registry.tokenFile(), Token.random().value() + "\n");
        Files.setPosixFilePermissions(registry.tokenFile(), PosixFilePermissions.fromString("rw-------"));
        giveTo(registry.tokenFile(), NOBODY);

        assertThatThrownBy(() -> Registry.at(home).token())
                .isInstanceOf(RegistryException.class)
                .hasMessageStartingWith(registry.tokenFile() + " belongs to user '")
                .satisfies(OwnershipTest::assertOneLine);
    }

    @Test
    void ourOwnDirectoryAndTokenAreAccepted() {
        Registry registry = Registry.at(dir.resolve("mine"));
        Token t = registry.token();
        assertThat(Registry.at(dir.resolve("mine")).token().value()).isEqualTo(t.value());
    }

    @Test
    void theLogDirectoryIsOwnerOnlyEvenWhereItWasMadeOpen() throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX modes only");
        Registry registry = Registry.at(dir.resolve("logs-home"));
        Path logs = registry.logDir();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(logs)))
                .isEqualTo("rwx------");
        Files.setPosixFilePermissions(logs, PosixFilePermissions.fromString("rwxr-xr-x")); // an older solo's
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(registry.logDir())))
                .isEqualTo("rwx------");
    }

    @Test
    void aLogDirectoryOfAnotherUserIsRefusedWithItsPath() throws Exception {
        assumeRoot();
        Registry registry = Registry.at(dir.resolve("planted-logs"));
        Path logs = registry.logDir();
        giveTo(logs, NOBODY);
        assertThatThrownBy(registry::logDir)
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining(logs.toString())
                .satisfies(OwnershipTest::assertOneLine);
        assertThat(Files.getAttribute(logs, "unix:uid")).isEqualTo(NOBODY); // changed nothing
    }

    @Test
    void aStateDirectoryBehindAFileIsOneLine() throws Exception {
        Path file = dir.resolve("a-file");
        Files.writeString(file, "not a directory");
        Registry registry = Registry.at(file.resolve("solo"));
        assertThatThrownBy(registry::token)
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining(file.resolve("solo").toString())
                .hasMessageContaining("not a directory")
                .satisfies(OwnershipTest::assertOneLine);
    }

    @Test
    void aTokenFileThatIsADirectoryIsNamedSoNotCalledReadableByOthers() throws Exception {
        Registry registry = Registry.at(dir.resolve("home"));
        Files.createDirectories(registry.tokenFile());
        assertThatThrownBy(registry::token)
                .isInstanceOf(RegistryException.class)
                .hasMessage("the token file " + registry.tokenFile() + " is a directory. Move it aside and start again;"
                        + " a new token is created.")
                .satisfies(OwnershipTest::assertOneLine);
        assertThat(registry.tokenFile()).isDirectory();
    }

    @Test
    void aGarbledTokenFileIsOneLine() throws Exception {
        Registry registry = Registry.at(dir.resolve("home"));
        registry.token();
        Files.writeString(registry.tokenFile(), "not a token\n");
        assertThatThrownBy(() -> Registry.at(dir.resolve("home")).token())
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining(registry.tokenFile().toString())
                .hasMessageContaining("Delete it and start again")
                .satisfies(OwnershipTest::assertOneLine);
    }

    @Test
    void anUnreadableTokenIsOneLine() throws Exception {
        Registry registry = Registry.at(dir.resolve("home"));
        registry.token();
        if (Platform.uid() != 0) {
            Files.setPosixFilePermissions(registry.tokenFile(), PosixFilePermissions.fromString("---------"));
            assertThatThrownBy(() -> Registry.at(dir.resolve("home")).token())
                    .isInstanceOf(RegistryException.class)
                    .hasMessageContaining("permission denied")
                    .satisfies(OwnershipTest::assertOneLine);
            return;
        }
        // root reads any file whatever its mode: make the read itself fail instead
        Files.delete(registry.tokenFile());
        Files.createDirectory(
                registry.tokenFile(),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        assertThatThrownBy(() -> Registry.at(dir.resolve("home")).token())
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining(registry.tokenFile().toString())
                .satisfies(OwnershipTest::assertOneLine);
    }
}
