package dev.solo.cli.monitor.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;

/**
 * The Windows logon task, checked on Linux (Windows itself is not in CI): the XML is well-formed and has
 * what a logon task needs, the paths survive Windows' command-line quoting, and the schtasks command
 * lines are the ones documented.
 */
@Timeout(60)
class WindowsTaskTest {
    static final String NS = "http://schemas.microsoft.com/windows/2004/02/mit/task";
    static final List<String> COMMAND = List.of(
            "C:\\Program Files\\Eclipse Adoptium\\jdk-17\\bin\\java.exe",
            "-Dsolo.home=C:\\Users\\Ann Lee\\AppData\\Local\\solo\\",
            "-XX:+UseSerialGC",
            "-cp",
            "C:\\Users\\Ann Lee\\solo\\cli\\target\\solo.jar",
            "dev.solo.cli.monitor.ChildMain",
            "say \"hi\" & <bye>",
            "",
            "monitor",
            "--foreground",
            "--no-browser",
            "--port",
            "27001");

    @TempDir
    Path dir;

    Document parse(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
    }

    static String text(Document doc, String tag) {
        var nodes = doc.getElementsByTagNameNS(NS, tag);
        assertThat(nodes.getLength()).as(tag).isEqualTo(1);
        return nodes.item(0).getTextContent();
    }

    @Test
    void theTaskStartsAtThisUsersLogonHiddenWithRestartsAndNoStoredPassword() throws Exception {
        Document doc = parse(WindowsTask.xml(27001, COMMAND, "WORK\\ann", Path.of("C:\\Users\\Ann Lee\\solo")));
        assertThat(doc.getDocumentElement().getLocalName()).isEqualTo("Task");
        assertThat(doc.getDocumentElement().getNamespaceURI()).isEqualTo(NS);
        assertThat(doc.getDocumentElement().getAttribute("version")).isEqualTo("1.2");
        assertThat(doc.getElementsByTagNameNS(NS, "LogonTrigger").getLength()).isEqualTo(1);
        var users = doc.getElementsByTagNameNS(NS, "UserId");
        assertThat(users.getLength()).isEqualTo(2); // the trigger's user and the principal
        for (int i = 0; i < users.getLength(); i++)
            assertThat(users.item(i).getTextContent()).isEqualTo("WORK\\ann");
        assertThat(text(doc, "LogonType")).isEqualTo("InteractiveToken");
        assertThat(text(doc, "RunLevel")).isEqualTo("LeastPrivilege");
        assertThat(text(doc, "Hidden")).isEqualTo("true");
        assertThat(text(doc, "MultipleInstancesPolicy")).isEqualTo("IgnoreNew");
        assertThat(text(doc, "ExecutionTimeLimit")).isEqualTo("PT0S");
        assertThat(text(doc, "Interval")).isEqualTo("PT1M"); // MS-TSCH: 1 minute .. 31 days
        assertThat(Integer.parseInt(text(doc, "Count"))).isBetween(1, 255);
        assertThat(text(doc, "URI")).isEqualTo("\\solo-monitor-27001");
        assertThat(text(doc, "WorkingDirectory")).isEqualTo("C:\\Users\\Ann Lee\\solo");
    }

    @Test
    void theProgramIsJavawAndEveryArgumentSurvivesWindowsQuoting() throws Exception {
        Document doc = parse(WindowsTask.xml(27001, COMMAND, "ann", Path.of("C:\\x")));
        String command = text(doc, "Command");
        assertThat(command).isEqualTo("\"C:\\Program Files\\Eclipse Adoptium\\jdk-17\\bin\\javaw.exe\"");
        assertThat(argv(command)).containsExactly("C:\\Program Files\\Eclipse Adoptium\\jdk-17\\bin\\javaw.exe");
        assertThat(argv(text(doc, "Arguments"))).containsExactlyElementsOf(COMMAND.subList(1, COMMAND.size()));
    }

    @Test
    void theSchtasksCommandLinesAreTheDocumentedOnes() {
        Path xml = Path.of("C:\\Users\\ann\\AppData\\Local\\solo\\service\\solo-monitor-8765.xml");
        assertThat(WindowsTask.create(8765, xml))
                .containsExactly("schtasks", "/Create", "/TN", "solo-monitor-8765", "/XML", xml.toString(), "/F");
        assertThat(WindowsTask.run(8765)).containsExactly("schtasks", "/Run", "/TN", "solo-monitor-8765");
        assertThat(WindowsTask.end(8765)).containsExactly("schtasks", "/End", "/TN", "solo-monitor-8765");
        assertThat(WindowsTask.delete(8765)).containsExactly("schtasks", "/Delete", "/TN", "solo-monitor-8765", "/F");
        assertThat(WindowsTask.query(8765))
                .containsExactly("schtasks", "/Query", "/TN", "solo-monitor-8765", "/FO", "LIST", "/V");
    }

    @Test
    void installWithoutEnableWritesUtf16XmlAndPrintsTheRegistration() throws Exception {
        Path home = dir.resolve("solo home");
        ServiceSpec spec =
                new ServiceSpec(27001, COMMAND, Map.of("SOLO_HOME", home.toString()), home, home.resolve("logs/m.log"));
        TaskSchedulerService service = new TaskSchedulerService(spec, home.resolve("service"), "WORK\\ann");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertThat(service.install(false, new PrintWriter(out, true), new PrintWriter(err, true)))
                .isZero();
        Path xml = home.resolve("service").resolve("solo-monitor-27001.xml");
        byte[] bytes = Files.readAllBytes(xml);
        assertThat(bytes[0] & 0xff).isEqualTo(0xFF); // UTF-16LE byte order mark
        assertThat(bytes[1] & 0xff).isEqualTo(0xFE);
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile());
        assertThat(doc.getDocumentElement().getTagName()).isEqualTo("Task");
        assertThat(new String(bytes, StandardCharsets.UTF_16LE)).contains("encoding=\"UTF-16\"");
        assertThat(out.toString())
                .contains("Wrote " + xml)
                .contains("Register it with: schtasks /Create /TN solo-monitor-27001 /XML " + xml + " /F");
        assertThat(err.toString()).isEmpty();
        assertThat(service.installed()).isTrue();
        assertThat(service.active()).isFalse(); // nothing holds the port on Windows: a plain stop is enough

        StringWriter removed = new StringWriter();
        assertThat(service.uninstall(false, new PrintWriter(removed, true), new PrintWriter(err, true)))
                .isZero();
        assertThat(removed.toString()).contains("Removed " + xml);
        assertThat(xml).doesNotExist();
    }

    /** Windows' CommandLineToArgvW rules (2n backslashes + quote: n and a toggle; 2n+1: n and a quote). */
    static List<String> argv(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = null;
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (cur == null) {
                if (c == ' ' || c == '\t') continue;
                cur = new StringBuilder();
            }
            if (c == '\\') {
                int n = 0;
                while (i < line.length() && line.charAt(i) == '\\') {
                    n++;
                    i++;
                }
                if (i < line.length() && line.charAt(i) == '"') {
                    cur.append("\\".repeat(n / 2));
                    if (n % 2 == 1) cur.append('"');
                    else quoted = !quoted;
                } else {
                    cur.append("\\".repeat(n));
                    i--;
                }
            } else if (c == '"') {
                quoted = !quoted;
            } else if ((c == ' ' || c == '\t') && !quoted) {
                out.add(cur.toString());
                cur = null;
            } else {
                cur.append(c);
            }
        }
        if (cur != null) out.add(cur.toString());
        return out;
    }
}
