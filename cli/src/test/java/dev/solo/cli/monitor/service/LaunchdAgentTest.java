package dev.solo.cli.monitor.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;

/** The launchd agent (untested on macOS itself): well-formed, and saying what the systemd units say. */
class LaunchdAgentTest {
    /** A command with a character XML must escape ({@code &}) in its first argument. */
    private static final List<String> COMMAND = List.of(
            "/opt/j&k/bin/java",
            "-cp",
            "/x/solo.jar",
            "dev.solo.cli.Main",
            "monitor",
            "--foreground",
            "--no-browser",
            "--port",
            "27001");

    @Test
    void thePlistIsWellFormedAndHoldsTheLoopbackSocketAndTheCommand() throws Exception {
        String plist = LaunchdAgent.plist(
                27001,
                COMMAND,
                Map.of("SOLO_HOME", "/home/a/.solo", "MALLOC_ARENA_MAX", "2"),
                Path.of("/home/a/.solo/logs/m.log"));
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        Document doc = f.newDocumentBuilder().parse(new InputSource(new StringReader(plist)));
        Element dict =
                (Element) doc.getDocumentElement().getElementsByTagName("dict").item(0);
        List<String> keys = new ArrayList<>();
        for (Node n = dict.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals("key")) keys.add(e.getTextContent());
        }
        assertThat(keys)
                .containsExactly(
                        "Label",
                        "ProgramArguments",
                        "EnvironmentVariables",
                        "Sockets",
                        "inetdCompatibility",
                        "KeepAlive",
                        "StandardOutPath",
                        "StandardErrorPath");
        List<String> args = new ArrayList<>();
        var strings = ((Element) dict.getElementsByTagName("array").item(0)).getElementsByTagName("string");
        for (int i = 0; i < strings.getLength(); i++) args.add(strings.item(i).getTextContent());
        assertThat(args).isEqualTo(COMMAND);
        Element env = (Element) dict.getElementsByTagName("dict").item(0);
        List<String> vars = new ArrayList<>();
        for (Node n = env.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) vars.add(e.getTextContent());
        }
        assertThat(vars).containsExactly("MALLOC_ARENA_MAX", "2", "SOLO_HOME", "/home/a/.solo");
        assertThat(plist)
                .contains("<string>dev.solo.monitor.27001</string>")
                .contains("<key>SockNodeName</key>\n      <string>127.0.0.1</string>")
                .contains("<key>SockServiceName</key>\n      <string>27001</string>");
    }
}
