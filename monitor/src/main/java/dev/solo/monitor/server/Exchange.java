package dev.solo.monitor.server;

import dev.solo.monitor.live.EventJson;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/** One request and its answer: small helpers over Jetty's request, response and callback. */
final class Exchange {
    final Request request;
    final Response response;
    final Callback callback;
    private Fields query;

    Exchange(Request request, Response response, Callback callback) {
        this.request = request;
        this.response = response;
        this.callback = callback;
    }

    String method() {
        return request.getMethod();
    }

    String header(HttpHeader h) {
        return request.getHeaders().get(h);
    }

    String header(String name) {
        return request.getHeaders().get(name);
    }

    /** A query parameter, or null. */
    String param(String name) {
        if (query == null) query = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
        return query.getValue(name);
    }

    /** A repeatable, comma-separable query parameter: {@code ?event=A&event=B} or {@code ?event=A,B}. */
    List<String> params(String name) {
        if (query == null) query = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>();
        List<String> values = query.getValues(name);
        if (values == null) return out;
        for (String v : values) {
            for (String part : v.split(",")) if (!part.isBlank()) out.add(part.trim());
        }
        return out;
    }

    /** A whole-number query parameter, or {@code fallback} when absent; a 400 when it is not a number. */
    long longParam(String name, long fallback) {
        String v = param(name);
        if (v == null || v.isBlank()) return fallback;
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, got '" + v + "'");
        }
    }

    /** A whole-number query parameter within {@code min..max}, or {@code fallback}; a 400 otherwise. */
    int intParam(String name, int fallback, int min, int max) {
        long v = longParam(name, fallback);
        if (v < min || v > max) {
            throw new IllegalArgumentException(name + " must be " + min + ".." + max + ", got " + v);
        }
        return (int) v;
    }

    /** {@code view=row}: the short row form; {@code view=full} or none: the whole event. */
    boolean rowView() {
        String v = param("view");
        if (v == null || v.isEmpty() || v.equals("full")) return false;
        if (v.equals("row")) return true;
        throw new IllegalArgumentException("view must be 'row' or 'full', got '" + v + "'");
    }

    /** The query string without parameter {@code name}: {@code ?a=1&b=2}, or "" when nothing is left. */
    String queryWithout(String name) {
        if (query == null) query = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
        StringBuilder b = new StringBuilder();
        for (var field : query) {
            if (field.getName().equals(name)) continue;
            for (String v : field.getValues()) {
                b.append(b.length() == 0 ? '?' : '&')
                        .append(URLEncoder.encode(field.getName(), StandardCharsets.UTF_8))
                        .append('=')
                        .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
            }
        }
        return b.toString();
    }

    List<String> cookies(String name) {
        List<String> out = new ArrayList<>();
        for (HttpCookie c : Request.getCookies(request)) if (c.getName().equals(name)) out.add(c.getValue());
        return out;
    }

    /** {@code value} written as JSON (Jackson) with {@code status}. */
    void json(int status, Object value) {
        json(status, JsonOut.write(value));
    }

    void json(int status, String body) {
        send(status, "application/json; charset=utf-8", body);
    }

    /** {@code {"error": message}} with {@code status}. */
    void error(int status, String message) {
        StringBuilder b = new StringBuilder("{\"status\":").append(status);
        EventJson.field(b, "error", message);
        json(status, b.append('}').toString());
    }

    void send(int status, String contentType, String body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        Content.Sink.write(response, true, body, callback);
    }

    /** A 2xx with no body at all (Claude Code treats a non-JSON body as a hook error). */
    void empty(int status) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0L);
        response.write(true, null, callback);
    }
}
