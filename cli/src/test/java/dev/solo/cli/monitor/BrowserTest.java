package dev.solo.cli.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
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

    @Test
    void sshSessionsAndMissingDisplaysRuleTheDesktopOpenerOut() {
        assertThat(Browser.whyNoBrowser(Map.of("DISPLAY", ":0"), "Linux")).isEmpty();
        assertThat(Browser.whyNoBrowser(Map.of("WAYLAND_DISPLAY", "wayland-0"), "Linux"))
                .isEmpty();
        assertThat(Browser.whyNoBrowser(Map.of(), "Linux"))
                .hasValue("no display: DISPLAY and WAYLAND_DISPLAY are unset");
        assertThat(Browser.whyNoBrowser(Map.of("DISPLAY", " "), "FreeBSD")).isPresent();
        assertThat(Browser.whyNoBrowser(Map.of(), "Mac OS X")).isEmpty();
        assertThat(Browser.whyNoBrowser(Map.of(), "Windows 11")).isEmpty();
        assertThat(Browser.whyNoBrowser(
                        Map.of("DISPLAY", ":10", "SSH_CONNECTION", "10.0.0.5 51000 10.0.0.9 22"), "Linux"))
                .hasValue("this is an SSH session");
        // $BROWSER is the user's own choice: always tried
        assertThat(Browser.whyNoBrowser(Map.of("SSH_CONNECTION", "a b c d", "BROWSER", "w3m"), "Linux"))
                .isEmpty();
    }

    @Test
    void theForwardLineReachesTheAddressAndPortTheSessionCameIn() {
        assertThat(Browser.sshForward(8765, Map.of("SSH_CONNECTION", "10.0.0.5 51000 10.0.0.9 22", "USER", "ann")))
                .hasValue("ssh -N -L 8765:localhost:8765 ann@10.0.0.9");
        assertThat(Browser.sshForward(27001, Map.of("SSH_CONNECTION", "::1 51000 fe80::1 2222", "USER", "ann")))
                .hasValue("ssh -N -L 27001:localhost:27001 ann@[fe80::1] -p 2222");
        assertThat(Browser.sshForward(8765, Map.of())).isEmpty();
        assertThat(Browser.sshForward(8765, Map.of("SSH_CONNECTION", "garbage")))
                .isEmpty();
    }
}
