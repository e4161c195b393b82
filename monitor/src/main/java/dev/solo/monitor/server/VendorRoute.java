package dev.solo.monitor.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.http.HttpHeader;

/**
 * {@code GET /vendor/{name}}: the front-end libraries the dashboard imports, served from their WebJars
 * (Maven Central) on the class path: the Markdown renderer and the HTML sanitiser. Only the names
 * listed here exist; each is read once, sent with an ETag (the version) and {@code no-cache}.
 */
final class VendorRoute {
    /**
     * Served name → class path resource, in the version of the WebJar on the class path (monitor/pom.xml
     * names it once; a version bump needs no change here).
     */
    static final Map<String, String> FILES = Map.of(
            "marked.esm.js", webjar("marked", "lib/marked.esm.js"),
            "purify.es.mjs", webjar("dompurify", "dist/purify.es.mjs"));

    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    void file(Exchange x, String name) {
        String resource = FILES.get(name);
        if (resource == null) {
            x.error(404, "no such library: /vendor/" + name);
            return;
        }
        byte[] bytes = cache.computeIfAbsent(name, n -> load(resource));
        if (bytes.length == 0) {
            x.error(500, "the library " + resource + " is missing from the monitor's class path");
            return;
        }
        String etag = "\"" + resource.hashCode() + "-" + bytes.length + "\"";
        var h = x.response.getHeaders();
        h.put(HttpHeader.CACHE_CONTROL, "no-cache");
        h.put(HttpHeader.ETAG, etag);
        if (etag.equals(x.header(HttpHeader.IF_NONE_MATCH))) {
            x.response.setStatus(304);
            x.response.write(true, null, x.callback);
            return;
        }
        x.response.setStatus(200);
        h.put(HttpHeader.CONTENT_TYPE, "text/javascript; charset=utf-8");
        h.put(HttpHeader.CONTENT_LENGTH, bytes.length);
        x.response.write(true, x.method().equals("HEAD") ? null : ByteBuffer.wrap(bytes), x.callback);
    }

    /**
     * The resource {@code file} of npm WebJar {@code name}, at the version its own {@code pom.properties}
     * gives; a name that is not on the class path yields a path that loads as missing (a 500 that says so).
     */
    static String webjar(String name, String file) {
        String version = "missing";
        String props = "META-INF/maven/org.webjars.npm/" + name + "/pom.properties";
        try (InputStream in = VendorRoute.class.getClassLoader().getResourceAsStream(props)) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                version = p.getProperty("version", version);
            }
        } catch (IOException e) {
            // left "missing": the route answers 500 naming the resource
        }
        return "META-INF/resources/webjars/" + name + "/" + version + "/" + file;
    }

    private static byte[] load(String resource) {
        try (InputStream in = VendorRoute.class.getClassLoader().getResourceAsStream(resource)) {
            return in == null ? new byte[0] : in.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }
}
