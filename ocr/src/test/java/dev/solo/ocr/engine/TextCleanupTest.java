package dev.solo.ocr.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What leaves an engine has no control characters and keeps its indentation (defect 7, 9). */
class TextCleanupTest {
    @Test
    void controlCharactersGoLineFeedsAndTabsStay() {
        assertThat(TextCleanup.lines("Hello\u001b[31m red\u0007\u0000\r\nnext\tcol\u009b2J\u2028last"))
                .isEqualTo("Hello[31m red\nnext\tcol2J\nlast");
    }

    @Test
    void indentationOfTheFirstLineIsKeptOuterBlankLinesGo() {
        assertThat(TextCleanup.lines("\n\n    indented  \n\n  more\n\n")).isEqualTo("    indented\n\n  more");
    }
}
