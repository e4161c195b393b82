package dev.solo.monitor.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.solo.core.RegistryException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ingest key file: created owner-only on first use, reused, rotated atomically, refused when not ours alone. */
class IngestKeyTest {
    @TempDir
    Path home;

    @Test
    void isCreatedOnceOwnerOnlyAsACurlHeaderLine() throws Exception {
        IngestKey first = IngestKey.loadOrCreate(home.resolve("solo"));
        assertThat(first.file()).isEqualTo(home.resolve("solo").resolve("ingest-key"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(first.file())))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("solo"))))
                .isEqualTo("rwx------");
        assertThat(Files.readString(first.file())).isEqualTo("Authorization: Bearer " + first.value() + "\n");
        assertThat(first.value()).matches("solo-ingest-[0-9a-f]{64}");
        assertThat(IngestKey.loadOrCreate(home.resolve("solo")).value()).isEqualTo(first.value());
        assertThat(first.matches(first.value())).isTrue();
        assertThat(first.matches(first.value().replace('a', 'b') + "x")).isFalse();
        assertThat(first.matches(null)).isFalse();
        assertThat(first.toString()).doesNotContain(first.value());
    }

    @Test
    void rotationReplacesTheKeyInPlace() {
        IngestKey old = IngestKey.loadOrCreate(home);
        IngestKey fresh = IngestKey.rotate(home);
        assertThat(fresh.value()).isNotEqualTo(old.value());
        assertThat(IngestKey.loadOrCreate(home).value()).isEqualTo(fresh.value());
        assertThat(fresh.matches(old.value())).isFalse();
    }

    @Test
    void aFileOthersMayReadIsRefusedWithThePathAndTheFix() throws Exception {
        Path file = IngestKey.loadOrCreate(home).file();
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> IngestKey.loadOrCreate(home))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("rw-r--r--")
                .hasMessageContaining("chmod 600");
    }

    @Test
    void aFileThatIsNotAKeyIsRefused() throws Exception {
        Files.writeString(IngestKey.fileIn(home), "Authorization: Bearer 0123\n");
        Files.setPosixFilePermissions(IngestKey.fileIn(home), PosixFilePermissions.fromString("rw-------"));
        assertThatThrownBy(() -> IngestKey.loadOrCreate(home))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("does not hold a key")
                .hasMessageContaining("solo monitor token --rotate-ingest");
        assertThat(IngestKey.rotate(home).value())
                .isEqualTo(IngestKey.loadOrCreate(home).value());
    }

    @Test
    void aFileAnotherUserOwnsIsRefusedEvenForRoot() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root to hand a file to nobody");
        Path file = IngestKey.loadOrCreate(home).file();
        UserPrincipal nobody =
                file.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        Files.setOwner(file, nobody);
        assertThatThrownBy(() -> IngestKey.loadOrCreate(home))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("belongs to user 'nobody'")
                .hasMessageContaining(file.toString());
    }
}
