package dev.solo.monitor.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;

/**
 * The dashboard's static files: {@code index.html}, ES modules and CSS from the class path folder
 * {@value #ROOT}. Only flat names of the listed types are served, so no request reaches another
 * resource. Files are read once and kept (they are a few tens of KB); each answer carries an ETag and
 * {@code Cache-Control: no-cache}, so a reload revalidates and gets {@code 304}.
 *
 * <p>The files hold no data: the page asks the token-protected API for everything it shows.
 */
final class Assets {
    static final String ROOT = "dev/solo/monitor/dashboard/";

    /**
     * Scripts and styles only from this origin; no inline code; the API and the live feed only here;
     * never framed.
     */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*\\.(js|css|html|svg|png)");
    private static final Map<String, String> TYPES = Map.of(
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "html", "text/html; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png");

    private record Asset(byte[] bytes, String type, String etag) {}

    private final Map<String, Optional<Asset>> cache = new ConcurrentHashMap<>();

    /** Answers {@code name} (e.g. {@code app.js}); false when there is no such asset (nothing sent). */
    boolean serve(Exchange x, String name) {
        if (!NAME.matcher(name).matches()) return false;
        Optional<Asset> a = cache.computeIfAbsent(name, Assets::load);
        if (a.isEmpty()) return false;
        Asset asset = a.get();
        var h = x.response.getHeaders();
        h.put(HttpHeader.CACHE_CONTROL, "no-cache");
        h.put(HttpHeader.ETAG, asset.etag());
        if (name.endsWith(".html")) h.put("Content-Security-Policy", CSP);
        if (asset.etag().equals(x.header(HttpHeader.IF_NONE_MATCH))) {
            x.response.setStatus(304);
            x.response.write(true, null, x.callback);
            return true;
        }
        x.response.setStatus(200);
        h.put(HttpHeader.CONTENT_TYPE, asset.type());
        h.put(HttpHeader.CONTENT_LENGTH, asset.bytes().length);
        x.response.write(true, x.method().equals("HEAD") ? null : ByteBuffer.wrap(asset.bytes()), x.callback);
        return true;
    }

    private static Optional<Asset> load(String name) {
        try (InputStream in = Assets.class.getClassLoader().getResourceAsStream(ROOT + name)) {
            if (in == null) return Optional.empty();
            byte[] bytes = in.readAllBytes();
            String ext = name.substring(name.lastIndexOf('.') + 1);
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            String etag = "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"";
            return Optional.of(new Asset(bytes, TYPES.get(ext), etag));
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot read the dashboard file " + ROOT + name + ": " + e, e);
        }
    }
}
