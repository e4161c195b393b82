package dev.solo.cli.ocr;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

class ResidentLogTest {
    @Test
    void eachLevelIsOneLineInTheResidentsStyle() {
        assertThat(ResidentLog.line(Level.WARNING, "no same-user socket at /x (why); serving on TCP only", null))
                .isEqualTo("warning: no same-user socket at /x (why); serving on TCP only");
        assertThat(ResidentLog.line(Level.SEVERE, "the front door failed", new IOException("closed")))
                .isEqualTo("error: the front door failed: java.io.IOException: closed");
        assertThat(ResidentLog.line(Level.INFO, "listening", null)).isEqualTo("listening");
    }

    @Test
    void lineBreaksInAMessageDoNotMakeASecondLine() {
        assertThat(ResidentLog.line(Level.WARNING, "first\n  second\r\nthird\n", null))
                .isEqualTo("warning: first second third");
    }
}
