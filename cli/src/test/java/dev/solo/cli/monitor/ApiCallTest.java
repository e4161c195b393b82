package dev.solo.cli.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The answer reader on in-memory streams; the real monitor is reached in the process tests. */
class ApiCallTest {
    private static ApiCall read(String answer, int max) throws IOException {
        return ApiCall.read(new ByteArrayInputStream(answer.getBytes(StandardCharsets.UTF_8)), max);
    }

    @Test
    void bodyByContentLengthOrToTheClose() throws IOException {
        ApiCall a = read("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX: y\r\n\r\nhello, and more", 100);
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.reason()).isEqualTo("OK");
        assertThat(a.text()).isEqualTo("hello");
        ApiCall close = read("HTTP/1.0 202 Accepted\r\ncontent-length:  \r\n\r\nall of it", 100);
        assertThat(close.status()).isEqualTo(202);
        assertThat(close.text()).isEqualTo("all of it");
    }

    @Test
    void reasonMayBeMissingAndBodyIsCut() throws IOException {
        ApiCall a = read("HTTP/1.1 401\r\n\r\n" + "x".repeat(1000), 10);
        assertThat(a.status()).isEqualTo(401);
        assertThat(a.reason()).isEmpty();
        assertThat(a.body()).hasSize(10);
    }

    @Test
    void aLongHeaderIsReadAcrossBuffers() throws IOException {
        String big = "X-Big: " + "b".repeat(9000) + "\r\n";
        assertThat(read("HTTP/1.1 200 OK\r\n" + big + "Content-Length: 2\r\n\r\nok", 10)
                        .text())
                .isEqualTo("ok");
    }

    @Test
    void notHttpOrCutShortIsAnError() {
        assertThatThrownBy(() -> read("SUCCESS\nhello\r\n\r\n", 10))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("not HTTP: SUCCESS");
        assertThatThrownBy(() -> read("HTTP/1.1 2x0 OK\r\n\r\n", 10)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> read("HTTP/1.1 200 OK\r\n", 10)).isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> read("HTTP/1.1 200 OK\r\n" + "X: y\r\n".repeat(5000), 10))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("longer than");
    }

    @Test
    void requestsCarryHostTokenAndAnEmptyPostBody() {
        String get = new String(ApiCall.request("GET", "/api/status", "127.0.0.1:9", "t0k"), StandardCharsets.US_ASCII);
        assertThat(get).isEqualTo("GET /api/status HTTP/1.0\r\nHost: 127.0.0.1:9\r\nAuthorization: Bearer t0k\r\n\r\n");
        String post = new String(ApiCall.request("POST", "/api/shutdown", "h", "t"), StandardCharsets.US_ASCII);
        assertThat(post).endsWith("Content-Length: 0\r\n\r\n").startsWith("POST /api/shutdown HTTP/1.0\r\n");
    }
}
