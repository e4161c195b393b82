package dev.solo.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The per-user secret that every acting request carries ({@code AUTH}, ingest, stop). It lives in a
 * 0600 file beside the registry; whoever can read that file is this user.
 *
 * <p>A resident proves it knows the token without revealing it: for a client's nonce it answers an
 * HMAC of the nonce <em>bound to its endpoint</em>: service, port, instance and pid (see {@link
 * #proof(String, ServiceIdentity)}). A client checks service and port against what it dialed and then
 * the proof, and sends the token only when both hold. So a process squatting on a stale port learns
 * nothing, and neither does one that relays the client's nonce to another resident of the same user:
 * that resident's proof names its own service and port, not the ones the client dialed. Comparisons are
 * constant-time.
 *
 * <p>Immutable and thread-safe. {@link #toString()} never shows the secret.
 */
public final class Token {
    private static final HexFormat HEX = HexFormat.of();
    /** The first line of every proof's message: a proof of this kind is valid for nothing else. */
    static final String PROOF_LABEL = "solo-proof-v2";
    /** SHA-256's block size in bytes, the HMAC key block. */
    private static final int HMAC_BLOCK = 64;

    private final String value;
    private final byte[] key;

    private Token(String value) {
        if (!isTokenText(value)) {
            throw new IllegalArgumentException("a token is 64 lowercase hex characters");
        }
        this.value = value;
        this.key = value.getBytes(StandardCharsets.US_ASCII);
    }

    /** {@code [0-9a-f]{64}}, by a loop: a regex would bootstrap the lambda machinery on every client start. */
    private static boolean isTokenText(String value) {
        if (value.length() != 64) return false;
        for (int i = 0; i < 64; i++) {
            char c = value.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
        }
        return true;
    }

    /** A token with this value; for tests and for clients that were handed the token. */
    public static Token of(String value) {
        return new Token(value);
    }

    /** A fresh random token (256 bits). */
    public static Token random() {
        byte[] bytes = new byte[32];
        Entropy.SOURCE.nextBytes(bytes);
        return new Token(HEX.formatHex(bytes));
    }

    /** A fresh random nonce for a {@code HELLO} (128 bits, hex). */
    public static String nonce() {
        byte[] bytes = new byte[16];
        Entropy.SOURCE.nextBytes(bytes);
        return HEX.formatHex(bytes);
    }

    /**
     * Reads the token file, creating it (0600, atomically: concurrent first starts agree on one token)
     * when it does not exist yet. The file and its directory must belong to the user running this JVM
     * (root included), and the file must be unreadable by others; anything else may have been planted.
     *
     * @throws RegistryException with the path (and owner) when the file cannot be read, created or
     *     trusted, or is malformed
     */
    public static Token loadOrCreate(Path file) {
        if (Files.exists(file)) return read(file);
        try {
            createDirectory(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), ".token-", ".tmp");
            try {
                FilePermissions.ownerOnlyFile(tmp);
                Files.writeString(tmp, random().value + "\n", StandardCharsets.US_ASCII);
                try {
                    // A hard link is the atomic "create if absent": the loser of a race reads the winner's.
                    Files.createLink(file, tmp);
                } catch (FileAlreadyExistsException raced) {
                    // another process created it first; fall through and read theirs
                } catch (UnsupportedOperationException | IOException noLinks) {
                    if (!Files.exists(file)) Files.move(tmp, file);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new RegistryException(
                    "cannot create the token file " + file + " (" + FilePermissions.describe(e)
                            + "). Check that its directory is yours and writable, or set SOLO_HOME to one that is.",
                    e);
        }
        return read(file);
    }

    /**
     * Replaces the token file with a new random token. Residents that hold the old token keep it until
     * they restart; clients read the new one.
     */
    public static Token rotate(Path file) {
        try {
            createDirectory(file.getParent());
            Token fresh = random();
            Path tmp = Files.createTempFile(file.getParent(), ".token-", ".tmp");
            try {
                FilePermissions.ownerOnlyFile(tmp);
                Files.writeString(tmp, fresh.value + "\n", StandardCharsets.US_ASCII);
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp); // a full disk: no empty temporary file left behind
            }
            return fresh;
        } catch (IOException e) {
            throw new RegistryException(
                    "cannot write the token file " + file + " (" + FilePermissions.describe(e)
                            + "); the token was not changed. Free some space, or check that its directory is yours"
                            + " and writable.",
                    e);
        }
    }

    /**
     * A directory that does not exist yet is created owner-only (0700); an existing one must be ours
     * (its mode is left alone).
     */
    private static void createDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            FilePermissions.ownerOnlyDirectory(dir);
        } else {
            FilePermissions.checkOwned(dir);
        }
    }

    /** Reads a token file that is ours, in a directory that is ours, and readable by nobody else. */
    private static Token read(Path file) {
        String text;
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (dir != null) FilePermissions.checkOwned(dir);
            if (Files.isDirectory(file)) { // its 0755 mode would be reported as "readable by other users"
                throw new RegistryException("the token file " + file + " is a directory. Move it aside and start"
                        + " again; a new token is created.");
            }
            FilePermissions.checkOwnerOnly(file);
            text = Files.readString(file, StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            throw new RegistryException(
                    "cannot read the token file " + file + " (" + FilePermissions.describe(e)
                            + "). Check that it is yours and readable, or delete it to get a new one.",
                    e);
        }
        try {
            return new Token(text);
        } catch (IllegalArgumentException e) {
            throw new RegistryException("the token file " + file + " does not hold a token (64 hex characters)."
                    + " Delete it and start again; a new one is created.");
        }
    }

    /** The secret itself, to send after a checked proof or to write into a 0600 config file. */
    public String value() {
        return value;
    }

    /**
     * The proof that a resident knows this token, for a client's {@code nonce}, bound to the endpoint
     * that answers: {@code hex(HMAC-SHA256(token, "solo-proof-v2\n" nonce "\n" service "\n" port "\n"
     * instance "\n" pid))}. The fields come from {@code endpoint}, the identity the resident sends with
     * the proof. A proof is never valid for another service, port, instance or pid, so relaying a nonce
     * to another resident of the same user yields a proof that fails the client's check.
     */
    public String proof(String nonce, ServiceIdentity endpoint) {
        return HEX.formatHex(hmacSha256(key, proofMessage(nonce, endpoint)));
    }

    /** The message a proof signs; see {@link #proof(String, ServiceIdentity)}. */
    static byte[] proofMessage(String nonce, ServiceIdentity endpoint) {
        String message = PROOF_LABEL
                + '\n'
                + nonce
                + '\n'
                + endpoint.service()
                + '\n'
                + endpoint.port()
                + '\n'
                + endpoint.instance()
                + '\n'
                + endpoint.pid();
        return message.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * HMAC-SHA256 as RFC 2104 defines it, over {@code MessageDigest}. {@code javax.crypto.Mac} gives the
     * same bytes (TokenTest checks it on random keys and messages) but finding its provider walks and
     * loads the JDK's security providers, about 7 ms of every short-lived client's start.
     */
    static byte[] hmacSha256(byte[] key, byte[] message) {
        MessageDigest sha = Sha256.fresh();
        byte[] k = key.length > HMAC_BLOCK ? sha.digest(key) : key;
        byte[] inner = new byte[HMAC_BLOCK];
        byte[] outer = new byte[HMAC_BLOCK];
        for (int i = 0; i < HMAC_BLOCK; i++) {
            byte b = i < k.length ? k[i] : 0;
            inner[i] = (byte) (b ^ 0x36);
            outer[i] = (byte) (b ^ 0x5c);
        }
        sha.update(inner);
        byte[] innerHash = sha.digest(message);
        sha.update(outer);
        return sha.digest(innerHash);
    }

    /**
     * The random source, made on first use: only code that mints a token or a nonce needs it. A {@code
     * SecureRandom} walks the JCA provider list and sets up DRBG and SHA-256, which a client on the
     * same-user socket (no nonce, no token minted) would otherwise pay on every start.
     */
    private static final class Entropy {
        static final SecureRandom SOURCE = new SecureRandom();
    }

    /** SHA-256, found once: later digests are clones, without a provider lookup each time. */
    private static final class Sha256 {
        private static final MessageDigest PROTOTYPE;

        static {
            try {
                PROTOTYPE = MessageDigest.getInstance("SHA-256");
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("SHA-256 is missing from this JVM", e);
            }
        }

        static MessageDigest fresh() {
            try {
                return (MessageDigest) PROTOTYPE.clone();
            } catch (CloneNotSupportedException e) {
                try {
                    return MessageDigest.getInstance("SHA-256");
                } catch (GeneralSecurityException missing) {
                    throw new IllegalStateException("SHA-256 is missing from this JVM", missing);
                }
            }
        }
    }

    /**
     * Whether {@code proof} is this token's proof of {@code nonce} for the endpoint {@code claimed}
     * (the identity that came with the proof); constant-time. The caller must also check that {@code
     * claimed} names the service and port it dialed: the proof binds them, it does not choose them.
     */
    public boolean verifiesProof(String nonce, ServiceIdentity claimed, String proof) {
        if (proof == null || claimed == null) return false;
        return MessageDigest.isEqual(
                proof(nonce, claimed).getBytes(StandardCharsets.US_ASCII), proof.getBytes(StandardCharsets.US_ASCII));
    }

    /** Whether {@code presented} is this token; constant-time. */
    public boolean matches(String presented) {
        if (presented == null) return false;
        return MessageDigest.isEqual(key, presented.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "Token[****]";
    }
}
