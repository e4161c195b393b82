package dev.solo.ocr.resident;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.solo.ocr.engine.EngineSpec;
import org.junit.jupiter.api.Test;

/** The OCR verbs' arguments: what the client wants, and what a resident cannot honour (defect 3). */
class JobArgsTest {
    private static final EngineSpec TESS = new EngineSpec("tesseract", "eng", "", "");
    private static final EngineSpec LLM = new EngineSpec("llm", "", "vendor/model:free", "http://127.0.0.1:9/v1");

    @Test
    void roundTripsWithEncodedValues() {
        String args = JobArgs.format(new EngineSpec("tesseract", "deu+eng", "", ""), true);
        assertThat(args).isEqualTo("engine=tesseract lang=deu%2Beng json");
        JobArgs parsed = JobArgs.parse(args);
        assertThat(parsed.json()).isTrue();
        assertThat(parsed.wants()).containsEntry("lang", "deu+eng").containsEntry("engine", "tesseract");
        String llm = JobArgs.format(LLM, false);
        assertThat(JobArgs.parse(llm).mismatch(LLM)).isNull();
    }

    @Test
    void aBareVerbMeansTheResidentsOwnSettings() {
        assertThat(JobArgs.parse("").mismatch(TESS)).isNull();
        assertThat(JobArgs.parse("json").json()).isTrue();
    }

    @Test
    void aDifferentEngineOrLanguageIsRefusedNamingBoth() {
        assertThat(JobArgs.parse(JobArgs.format(LLM, false)).mismatch(TESS))
                .isEqualTo("this resident cannot honour engine=llm: it reads with tesseract (eng). The client runs"
                        + " the job itself, or restart the resident with the same settings as the client.");
        assertThat(JobArgs.parse("engine=tesseract lang=fra").mismatch(TESS))
                .startsWith(JobArgs.UNSUPPORTED + "lang=fra: it reads with tesseract (eng)");
        assertThat(JobArgs.parse("engine=llm model=other").mismatch(LLM))
                .startsWith(JobArgs.UNSUPPORTED + "model=other");
    }

    @Test
    void anUnknownArgumentIsRefusedNotIgnored() {
        assertThatThrownBy(() -> JobArgs.parse("engine=tesseract dpi=300"))
                .hasMessageStartingWith(
                        JobArgs.UNSUPPORTED + "the argument 'dpi=300': it knows engine, lang, model, base");
        assertThatThrownBy(() -> JobArgs.parse("lang=%zz")).hasMessageContaining("not URL-encoded");
    }
}
