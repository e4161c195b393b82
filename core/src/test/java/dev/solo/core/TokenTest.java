package dev.solo.core;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.solo.core.internal.LineCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-user secret: proofs, comparisons, the 0600 file and its creation race. */
class TokenTest {
    private static final String VALUE = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

    @TempDir
    Path tmp;

    private static String perms(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private void assumePosix() {
        assumeTrue(Files.getFileAttributeView(tmp, PosixFileAttributeView.class) != null, "POSIX permissions");
    }

    @Test
    void theHandBuiltHmacIsTheJdksHmacSha256() throws Exception {
        java.util.Random random = new java.util.Random(2104);
        for (int round = 0; round < 300; round++) {
            byte[] key = new byte[1 + random.nextInt(200)]; // shorter and longer than the 64-byte block
            byte[] message = new byte[random.nextInt(300)];
            random.nextBytes(key);
            random.nextBytes(message);
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            assertThat(Token.hmacSha256(key, message)).as("round %d", round).isEqualTo(mac.doFinal(message));
        }
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?"
        assertThat(HexFormat.of()
                        .formatHex(Token.hmacSha256(
                                "Jefe".getBytes(US_ASCII), "what do ya want for nothing?".getBytes(US_ASCII))))
                .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    private static final ServiceIdentity ENDPOINT = new ServiceIdentity(
            "solo-ocr", "1.0", 4242, "ada", "3f9c0a1b2c4d", Instant.EPOCH, 49500, "", ServiceIdentity.State.IDLE);

    @Test
    void theProofIsHexHmacSha256OfTheNonceBoundToTheEndpoint() throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(VALUE.getBytes(US_ASCII), "HmacSHA256"));
        String message = "solo-proof-v2\nnonce-1234567890ab\nsolo-ocr\n49500\n3f9c0a1b2c4d\n4242";
        String expected = HexFormat.of().formatHex(mac.doFinal(message.getBytes(US_ASCII)));
        assertThat(Token.of(VALUE).proof("nonce-1234567890ab", ENDPOINT))
                .isEqualTo(expected)
                .hasSize(64);
    }

    @Test
    void onlyTheRightProofOfTheRightNonceVerifies() {
        Token token = Token.of(VALUE);
        String nonce = Token.nonce();
        String proof = token.proof(nonce, ENDPOINT);
        assertThat(token.verifiesProof(nonce, ENDPOINT, proof)).isTrue();
        assertThat(token.verifiesProof(Token.nonce(), ENDPOINT, proof))
                .as("another nonce")
                .isFalse();
        assertThat(token.verifiesProof(nonce, ENDPOINT, Token.random().proof(nonce, ENDPOINT)))
                .as("another token")
                .isFalse();
        assertThat(token.verifiesProof(nonce, ENDPOINT, proof.toUpperCase(Locale.ROOT)))
                .isFalse();
        assertThat(token.verifiesProof(nonce, ENDPOINT, proof.substring(1))).isFalse();
        assertThat(token.verifiesProof(nonce, ENDPOINT, proof + "0")).isFalse();
        assertThat(token.verifiesProof(nonce, ENDPOINT, "")).isFalse();
        assertThat(token.verifiesProof(nonce, ENDPOINT, null)).isFalse();
        assertThat(token.verifiesProof(nonce, null, proof)).isFalse();
    }

    /** A relay passes a nonce to another resident of the same user: its proof names that resident. */
    @Test
    void aProofIsBoundToServicePortInstanceAndPid() {
        Token token = Token.of(VALUE);
        String nonce = Token.nonce();
        String proof = token.proof(nonce, ENDPOINT);
        ServiceIdentity e = ENDPOINT;
        for (ServiceIdentity other : List.of(
                new ServiceIdentity(
                        "solo-monitor", "1.0", 4242, "ada", "3f9c0a1b2c4d", Instant.EPOCH, 49500, "", e.state()),
                new ServiceIdentity("solo-ocr", "1.0", 4242, "ada", "3f9c0a1b2c4d", Instant.EPOCH, 8765, "", e.state()),
                new ServiceIdentity(
                        "solo-ocr", "1.0", 4242, "ada", "000000000000", Instant.EPOCH, 49500, "", e.state()),
                new ServiceIdentity(
                        "solo-ocr", "1.0", 1, "ada", "3f9c0a1b2c4d", Instant.EPOCH, 49500, "", e.state()))) {
            assertThat(token.verifiesProof(nonce, other, proof)).as("%s", other).isFalse();
        }
        // Fields the proof does not bind may change (state flips between idle and busy).
        assertThat(token.verifiesProof(nonce, e.withState(ServiceIdentity.State.BUSY), proof))
                .isTrue();
    }

    @Test
    void onlyTheExactTokenMatches() {
        Token token = Token.of(VALUE);
        assertThat(token.matches(VALUE)).isTrue();
        assertThat(token.matches(VALUE.toUpperCase(Locale.ROOT))).isFalse();
        assertThat(token.matches(VALUE.substring(0, 63))).isFalse();
        assertThat(token.matches(VALUE + " ")).isFalse();
        assertThat(token.matches("")).isFalse();
        assertThat(token.matches(null)).isFalse();
    }

    /**
     * A presented token or proof that differs from the right one in any single position, at the start,
     * the middle or the end, is refused; so is one that is right but for its length. (That the
     * comparison takes the same time wherever the difference is, is a property of timing: it belongs to a
     * benchmark, not to an assertion on a shared machine.)
     */
    @Test
    void aSecretWrongInAnySinglePositionIsRefused() {
        Token token = Token.of(VALUE);
        String nonce = "0123456789abcdef0123";
        String proof = token.proof(nonce, ENDPOINT);
        assertThat(token.verifiesProof(nonce, ENDPOINT, proof)).isTrue();
        for (int i = 0; i < VALUE.length(); i++) {
            assertThat(token.matches(flip(VALUE, i)))
                    .as("token differing at %d", i)
                    .isFalse();
        }
        for (int i = 0; i < proof.length(); i++) {
            assertThat(token.verifiesProof(nonce, ENDPOINT, flip(proof, i)))
                    .as("proof differing at %d", i)
                    .isFalse();
        }
        assertThat(token.verifiesProof(nonce, ENDPOINT, proof + "0")).isFalse();
        assertThat(token.verifiesProof(nonce, ENDPOINT, proof.substring(1))).isFalse();
        assertThat(token.verifiesProof(nonce, ENDPOINT, "")).isFalse();
        assertThat(token.verifiesProof(nonce, ENDPOINT, null)).isFalse();
    }

    /** {@code s} with the hex digit at {@code i} replaced by another one. */
    private static String flip(String s, int i) {
        char other = s.charAt(i) == '0' ? '1' : '0';
        return s.substring(0, i) + other + s.substring(i + 1);
    }

    @Test
    void toStringNeverShowsTheSecret() {
        Token token = Token.of(VALUE);
        assertThat(token.toString()).isEqualTo("Token[****]").doesNotContain(VALUE.substring(0, 8));
        assertThatThrownBy(() -> Token.of("not-a-token-but-maybe-a-password"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a token is 64 lowercase hex characters")
                .message()
                .doesNotContain("password");
    }

    @Test
    void randomTokensAndNoncesAreFreshAndWellFormed() {
        assertThat(Token.random().value())
                .matches("[0-9a-f]{64}")
                .isNotEqualTo(Token.random().value());
        String nonce = Token.nonce();
        assertThat(nonce).matches("[0-9a-f]{32}").isNotEqualTo(Token.nonce());
        assertThat(LineCodec.parseFirst("HELLO " + nonce)).isInstanceOf(LineCodec.Hello.class);
    }

    @Test
    void theFileIsCreatedOwnerOnlyInAnOwnerOnlyDirectory() throws Exception {
        assumePosix();
        Registry registry = Registry.at(tmp.resolve("home"));
        Token token = registry.token();
        assertThat(perms(registry.tokenFile())).isEqualTo("rw-------");
        assertThat(perms(registry.home())).isEqualTo("rwx------");
        assertThat(Files.readString(registry.tokenFile())).isEqualTo(token.value() + "\n");
        assertThat(registry.token().value()).as("read again, same token").isEqualTo(token.value());
        assertThat(Token.loadOrCreate(registry.tokenFile()).value()).isEqualTo(token.value());

        Path direct = tmp.resolve("fresh/dir/token");
        Token.loadOrCreate(direct);
        assertThat(perms(direct)).isEqualTo("rw-------");
        assertThat(perms(direct.getParent()))
                .as("a directory created for the token")
                .isEqualTo("rwx------");
        assertThat(tmp.resolve("fresh/dir").toFile().list())
                .as("no temporary files left")
                .containsExactly("token");
    }

    @Test
    void aTokenFileOthersCanReadOrWriteIsRefused() throws Exception {
        assumePosix();
        Path file = tmp.resolve("token");
        Token.loadOrCreate(file);
        for (String mode : List.of("rw-r-----", "rw----r--", "rw--w----", "rw-rw-rw-")) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
            assertThatThrownBy(() -> Token.loadOrCreate(file))
                    .as("token file with mode %s", mode)
                    .isInstanceOf(RegistryException.class)
                    .hasMessage(file + " is readable or writable by other users (" + mode + "). Run 'chmod 600 " + file
                            + "' if you trust its content, or delete it to get a new one.");
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        assertThat(Token.loadOrCreate(file)).as("owner-execute is harmless").isNotNull();
    }

    @Test
    void aFileWithoutATokenIsRefusedWithoutEchoingIt() throws Exception {
        Path file = tmp.resolve("token");
        Files.writeString(file, "hunter2\n");
        if (Files.getFileAttributeView(file, PosixFileAttributeView.class) != null) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
        assertThatThrownBy(() -> Token.loadOrCreate(file))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining(file + " does not hold a token (64 hex characters)")
                .hasMessageContaining("Delete it")
                .message()
                .doesNotContain("hunter2");
    }

    @Test
    void concurrentFirstUsesAgreeOnOneToken() throws Exception {
        int threads = 16;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < 20; round++) {
                Path file = tmp.resolve("round" + round).resolve("token");
                CountDownLatch go = new CountDownLatch(1);
                List<Future<String>> values = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    values.add(pool.submit(() -> {
                        go.await();
                        return Token.loadOrCreate(file).value();
                    }));
                }
                go.countDown();
                Set<String> distinct = new HashSet<>();
                for (Future<String> v : values) distinct.add(v.get());
                assertThat(distinct)
                        .as("tokens seen by %d threads in round %d", threads, round)
                        .hasSize(1);
                assertThat(Files.readString(file).trim())
                        .isEqualTo(distinct.iterator().next());
                assertThat(file.getParent().toFile().list())
                        .as("temporary files left")
                        .containsExactly("token");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aRotationIsSeenByARegistryThatHadTheOldToken() {
        Registry resident = Registry.at(tmp.resolve("home"));
        Token old = resident.token();
        Token rotated = Registry.at(tmp.resolve("home")).rotateToken();
        assertThat(rotated.value()).isNotEqualTo(old.value());
        assertThat(resident.token().value())
                .as("token after another process rotated it")
                .isEqualTo(rotated.value());
    }
}
