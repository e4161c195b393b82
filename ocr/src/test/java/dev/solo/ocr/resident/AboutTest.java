package dev.solo.ocr.resident;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AboutTest {
    @Test
    void aPayloadReadsBackAsWritten() {
        About a = new About("tesseract (deu+eng)", 2, "ctrl+alt+q", ":0");
        assertThat(a.toPayload()).isEqualTo("engine=tesseract (deu+eng)\nimages=2\nhotkey=ctrl+alt+q\ndisplay=:0\n");
        assertThat(About.parse(a.toPayload())).isEqualTo(a);
    }

    @Test
    void aLineBreakInAValueCannotAddAField() {
        About a = new About("llm (m at http://x)\nhotkey=f1", 1, "", "no display\r\nengine=evil");
        assertThat(a.toPayload().lines()).hasSize(4);
        assertThat(About.parse(a.toPayload())).isEqualTo(a);
        assertThat(About.parse(a.toPayload()).hotkey()).isEmpty();
    }

    @Test
    void unknownKeysAndMissingOnesAreTolerated() {
        About a = About.parse("engine=tesseract (eng)\nlater=1\nimages=many\nno equals sign\n");
        assertThat(a).isEqualTo(new About("tesseract (eng)", 0, "", ""));
        assertThat(About.parse("")).isEqualTo(new About("", 0, "", ""));
    }
}
