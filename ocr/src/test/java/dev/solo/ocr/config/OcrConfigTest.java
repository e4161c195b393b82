package dev.solo.ocr.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.solo.core.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where each setting comes from, precedence, and errors that name key and value. */
class OcrConfigTest {
    @TempDir
    Path dir;

    @Test
    void defaultsWhenNothingIsSet() {
        OcrConfig c = OcrConfig.load(Map.of(), null, Map.of());
        assertThat(c.engine()).isEqualTo(OcrConfig.Engine.TESSERACT);
        assertThat(c.hotkey().toString()).isEqualTo("ctrl+alt+q");
        assertThat(c.ports().start()).isEqualTo(49500);
        assertThat(c.ports().end()).isEqualTo(49550);
        assertThat(c.deadline().toSeconds()).isEqualTo(20);
        assertThat(c.envFile()).isEmpty();
        assertThat(c.source(Setting.OCR_ENGINE).label()).isEqualTo("default");
        assertThat(c.source(Setting.MODEL).label()).isEqualTo("unset");
        assertThat(c.entries()).hasSize(Setting.values().length);
    }

    @Test
    void dotEnvNextToTheLauncherEnvironmentWinsFlagWinsOverBoth() throws Exception {
        Files.writeString(dir.resolve(".env"), """
                # solo ocr settings
                export HOTKEY=ctrl+shift+o
                MODEL="vendor/model"
                OCR_DEADLINE_SEC = 7
                DEFAULT_MODE=lasso
                SINGLEINSTANCE_PORT_START=40000
                """);
        OcrConfig c = OcrConfig.load(
                Map.of("OCR_DEADLINE_SEC", "9"),
                dir.resolve("solo"),
                Map.of(Setting.DEFAULT_MODE, new OcrConfig.Flag("--default-mode", "rect")));
        assertThat(c.envFile()).contains(dir.resolve(".env"));
        assertThat(c.hotkey().toString()).isEqualTo("ctrl+shift+o");
        assertThat(c.source(Setting.HOTKEY).label()).isEqualTo(".env " + dir.resolve(".env"));
        assertThat(c.model()).contains("vendor/model");
        assertThat(c.deadline().toSeconds()).isEqualTo(9);
        assertThat(c.source(Setting.OCR_DEADLINE_SEC).label()).isEqualTo("environment");
        assertThat(c.defaultMode()).isEqualTo(OcrConfig.Mode.RECT);
        assertThat(c.source(Setting.DEFAULT_MODE).label()).isEqualTo("flag --default-mode");
        assertThat(c.ports().start()).isEqualTo(40000);
    }

    @Test
    void soloOcrEnvNamesTheFileAndMustExist() throws Exception {
        Path custom = Files.writeString(dir.resolve("ocr.env"), "OCR_ENGINE=llm\n");
        assertThat(OcrConfig.load(Map.of("SOLO_OCR_ENV", custom.toString()), null, Map.of())
                        .engine())
                .isEqualTo(OcrConfig.Engine.LLM);
        assertThatThrownBy(() -> OcrConfig.load(Map.of("SOLO_OCR_ENV", dir + "/missing.env"), null, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("SOLO_OCR_ENV=" + dir + "/missing.env is not a file");
    }

    @Test
    void badValuesNameTheKeyAndTheValue() throws Exception {
        assertThatThrownBy(() -> OcrConfig.load(Map.of("OCR_ENGINE", "gpt"), null, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("OCR_ENGINE='gpt' (from environment) is not one of tesseract, llm");
        assertThatThrownBy(() -> OcrConfig.load(Map.of("OCR_DEADLINE_SEC", "soon"), null, Map.of()))
                .hasMessageContaining("OCR_DEADLINE_SEC='soon'");
        assertThatThrownBy(() -> OcrConfig.load(Map.of("HOTKEY", "ctrl+alt+banana"), null, Map.of()))
                .hasMessageContaining("HOTKEY='ctrl+alt+banana'")
                .hasMessageContaining("'banana' is not a key");
        assertThatThrownBy(() -> OcrConfig.load(Map.of("HOTKEY", "q"), null, Map.of()))
                .hasMessageContaining("HOTKEY='q' (from environment) has no modifier");
        assertThatThrownBy(() -> OcrConfig.load(Map.of("SINGLEINSTANCE_PORT_END", "70000"), null, Map.of()))
                .hasMessageContaining("SINGLEINSTANCE_PORT_END='70000' (from environment) is not a port");
        assertThatThrownBy(() -> OcrConfig.load(Map.of("OCR_BASE_URL", "ftp://x"), null, Map.of()))
                .hasMessageContaining("OCR_BASE_URL='ftp://x'");
        Files.writeString(dir.resolve(".env"), "OK=1\nthis is not a setting\n");
        assertThatThrownBy(() -> OcrConfig.load(Map.of(), dir.resolve("solo"), Map.of()))
                .hasMessageContaining(dir.resolve(".env") + ":2: 'this is not a setting' is not KEY=VALUE");
    }

    @Test
    void hotkeyAndPortErrorsSayWhereTheValueCameFrom() throws Exception {
        Path env = Files.writeString(dir.resolve("ocr.env"), "HOTKEY=ctrl+alt+banana\n");
        assertThatThrownBy(() -> OcrConfig.load(Map.of("SOLO_OCR_ENV", env.toString()), null, Map.of()))
                .hasMessageContaining("HOTKEY='ctrl+alt+banana' (from .env " + env + ")");
        assertThatThrownBy(() -> OcrConfig.load(
                        Map.of("SINGLEINSTANCE_PORT_START", "21010", "SINGLEINSTANCE_PORT_END", "21000"),
                        null,
                        Map.of()))
                .hasMessageContaining("SINGLEINSTANCE_PORT_END=21000 (from environment) is below"
                        + " SINGLEINSTANCE_PORT_START=21010 (from environment)");
    }

    @Test
    void aMisspelledDotEnvKeyIsAnErrorAndAnUnknownOneAWarning() throws Exception {
        Path env = Files.writeString(dir.resolve("ocr.env"), "MODLE=x\n");
        assertThatThrownBy(() -> OcrConfig.load(Map.of("SOLO_OCR_ENV", env.toString()), null, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage(env + ":1: 'MODLE' is not a setting of solo ocr; did you mean MODEL?"
                        + " Fix the name, or remove the line.");
        Files.writeString(env, "# shared with another tool\nGITHUB_TOKEN=abc\nMODEL=m\n");
        OcrConfig c = OcrConfig.load(Map.of("SOLO_OCR_ENV", env.toString()), null, Map.of());
        assertThat(c.model()).contains("m");
        assertThat(c.warnings())
                .containsExactly(env + ":2: 'GITHUB_TOKEN' is not a setting of solo ocr and is ignored"
                        + " (see 'solo ocr config').");
    }

    @Test
    void languagesModelFolderAndPixelCap() {
        OcrConfig c = OcrConfig.load(Map.of(), null, Map.of());
        assertThat(c.languages()).isEqualTo("eng");
        assertThat(c.modelDir(dir)).isEqualTo(dir.resolve("tessdata"));
        assertThat(c.maxPixels()).isEqualTo(40_000_000L);
        OcrConfig d = OcrConfig.load(
                Map.of("OCR_LANG", "deu+eng", "OCR_TESSDATA", "/models", "OCR_MAX_MEGAPIXELS", "12"), null, Map.of());
        assertThat(d.languages()).isEqualTo("deu+eng");
        assertThat(d.modelDir(dir)).isEqualTo(Path.of("/models"));
        assertThat(d.modelDirSource()).isEqualTo("OCR_TESSDATA from environment");
        assertThat(d.maxPixels()).isEqualTo(12_000_000L);
        assertThatThrownBy(() -> OcrConfig.load(Map.of("OCR_LANG", "../etc/passwd"), null, Map.of()))
                .hasMessageContaining("OCR_LANG='../etc/passwd' (from environment) is not a list of model names");
        assertThatThrownBy(() -> OcrConfig.load(Map.of("OCR_MAX_MEGAPIXELS", "0"), null, Map.of()))
                .hasMessageContaining("OCR_MAX_MEGAPIXELS='0' (from environment) is not a whole number from 1 to 400");
    }

    @Test
    void apiKeyPrecedenceIsFlagThenFileThenVariable() throws Exception {
        Path fileKey = Files.writeString(dir.resolve("key.txt"), "from-file\n");
        Path flagKey = Files.writeString(dir.resolve("flag.txt"), "from-flag");
        Map<String, String> env =
                Map.of("OPENROUTER_API_KEY", "from-variable", "OPENROUTER_API_KEY_FILE", fileKey.toString());
        assertThat(OcrConfig.load(Map.of("OPENROUTER_API_KEY", "from-variable"), null, Map.of())
                        .apiKey())
                .contains("from-variable");
        assertThat(OcrConfig.load(env, null, Map.of()).apiKey()).contains("from-file");
        OcrConfig withFlag = OcrConfig.load(
                env,
                null,
                Map.of(Setting.OPENROUTER_API_KEY_FILE, new OcrConfig.Flag("--api-key-path", flagKey.toString())));
        assertThat(withFlag.apiKey()).contains("from-flag");
        assertThat(withFlag.entries().stream()
                        .filter(e -> e.setting() == Setting.OPENROUTER_API_KEY)
                        .findFirst()
                        .orElseThrow()
                        .shown())
                .isEqualTo("(set, 13 characters)")
                .doesNotContain("from-variable");
        assertThatThrownBy(() -> OcrConfig.load(Map.of("OPENROUTER_API_KEY_FILE", dir + "/nope"), null, Map.of())
                        .apiKey())
                .hasMessageContaining("cannot read the API key file " + dir + "/nope");
    }
}
