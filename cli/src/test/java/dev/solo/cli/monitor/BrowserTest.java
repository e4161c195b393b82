package dev.solo.cli.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The opener's command line: $BROWSER as users set it, else the platform's opener. */
class BrowserTest {
    static final String URL = "http://localhost:8765/#login=abc";

    @Test
    void browserVariableWinsWithOrWithoutAPlaceholder() {
        assertThat(Browser.command(URL, "firefox")).isEqualTo(List.of("firefox", URL));
        assertThat(Browser.command(URL, "w3m -o x=1 %s:lynx")).isEqualTo(List.of("w3m", "-o", "x=1", URL));
        assertThat(Browser.command(URL, "  ")).isEqualTo(Browser.command(URL, null));
        assertThat(Browser.command(URL, null)).last().isEqualTo(URL);
    }
}
