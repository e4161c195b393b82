package dev.solo.cli.ocr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.solo.core.Registry;
import dev.solo.core.internal.Platform;
import dev.solo.ocr.config.OcrConfig;
import dev.solo.ocr.resident.OcrResident;
import dev.solo.testing.OtherUser;
import dev.solo.testing.Ports;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code solo ocr status} with a squatter on the first port of the range and no resident: still "not
 * running" (exit 3: a resident started now takes the next port), and the squatter is named as {@code solo
 * monitor status} names the holder of its port, with what the kernel says of its socket.
 */
@Timeout(60)
class OcrStatusSquatterTest {
    @TempDir
    Path dir;

    private String status(int start, StringWriter text) {
        OcrConfig config = OcrConfig.load(
                Map.of(
                        "SINGLEINSTANCE_PORT_START", Integer.toString(start),
                        "SINGLEINSTANCE_PORT_END", Integer.toString(start + 2)),
                null,
                Map.of());
        Registry registry = Registry.at(dir.resolve("home"));
        PrintWriter out = new PrintWriter(text);
        int code = OcrStatusCommand.report(OcrResident.app(config, registry, "test", null), config, registry, out);
        out.flush();
        assertThat(code).as(text.toString()).isEqualTo(Lifecycle.NOT_RUNNING);
        return text.toString().strip();
    }

    @Test
    void nothingOnTheRangeIsJustNotRunning() throws Exception {
        int start = Ports.freeRange(3);
        assertThat(status(start, new StringWriter()))
                .isEqualTo("solo ocr is not running on ports " + start + "-" + (start + 2) + ".");
    }

    @Test
    void aSilentSquatterOfThisUserIsNamedWithItsPid() throws Exception {
        assumeTrue(Platform.isLinux(), "the kernel names a socket's owner on Linux only");
        int start = Ports.freeRange(3);
        try (ServerSocket squatter = new ServerSocket(start, 5, Platform.LOOPBACK_V4)) {
            assertThat(status(start, new StringWriter()))
                    .startsWith("solo ocr is not running on ports " + start + "-" + (start + 2) + ". Port " + start
                            + " is held by another program that accepts connections but did not answer within ")
                    .endsWith("; its socket belongs to you (uid " + Platform.uid() + "), pid "
                            + ProcessHandle.current().pid() + " (java). Stop that program or choose another port.");
        }
    }

    @Test
    void aSquatterOfAnotherUserIsNamedWithItsUser() throws Exception {
        int start = Ports.freeRange(3);
        try (OtherUser nobody = new OtherUser(dir)) {
            Process squatter = nobody.start(
                    List.of(
                            OtherUser.program("python3"),
                            "-c",
                            "import socket,sys,time\n"
                                    + "l=socket.socket(); l.bind(('127.0.0.1'," + start + ")); l.listen()\n"
                                    + "print('ready'); sys.stdout.flush(); time.sleep(60)"),
                    Map.of());
            assertThat(status(start, new StringWriter()))
                    .startsWith("solo ocr is not running on ports " + start + "-" + (start + 2) + ". Port " + start
                            + " is held by another program that ")
                    .endsWith("; its socket belongs to user 'nobody' (uid " + OtherUser.NOBODY_UID + "), pid "
                            + squatter.pid() + " (python3). Stop that program or choose another port.");
        }
    }
}
