package dev.solo.monitor.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.solo.monitor.permission.PermissionDesk;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Answering permission prompts from the page (dashboard access only; the hooks' credential never
 * reaches these): {@code GET /api/permissions} (settings and held prompts), {@code POST
 * /api/permissions/settings} ({@code {all, stream, enabled, timeout_seconds}}) and {@code POST
 * /api/permissions/{id}} ({@code {behavior: allow|deny, message}}).
 */
final class PermissionRoutes {
    private final PermissionDesk desk;

    PermissionRoutes(PermissionDesk desk) {
        this.desk = desk;
    }

    void list(Exchange x) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("settings", desk.settings().toMap());
        m.put("holds", desk.holds());
        x.json(200, m);
    }

    /** {@code rest}: {@code settings}, or the id of a held prompt. */
    void post(Exchange x, String rest) {
        JsonNode body = JsonBody.read(x);
        if (rest.equals("settings")) {
            try {
                x.json(200, desk.update(body).toMap());
            } catch (IOException e) {
                x.error(
                        500,
                        "cannot save the permission settings: " + e.getMessage()
                                + ". Check that the state directory is writable.");
            }
            return;
        }
        String behavior = body.path("behavior").asText(null);
        String message = body.hasNonNull("message") ? body.get("message").asText() : null;
        if (desk.answer(rest, behavior, message)) {
            x.json(200, Map.of("answered", rest, "behavior", behavior));
        } else {
            x.error(
                    409,
                    "the prompt " + rest + " is no longer held (answered, timed out, or released when the page"
                            + " closed); answer it in the terminal");
        }
    }
}
