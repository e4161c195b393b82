package dev.solo.monitor.derive;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a file, search or agent tool answered, in words: the {@code tool_response} shapes Claude Code
 * 2.1 sends (see the fixtures): Read {@code {type, file: {filePath, numLines, totalLines}}}, Glob
 * {@code {filenames, numFiles, truncated}}, Grep {@code {mode, numFiles, filenames, numLines}}, Write
 * {@code {type: create|update, filePath, content}}, Edit {@code {filePath, structuredPatch}}, Agent
 * {@code {isAsync, status, agentId}} or {@code {content: [{type: text, text}]}}.
 */
final class ToolOutput {
    private ToolOutput() {}

    /** The answer in words, or null when the shape is not one of these. */
    static String describe(String tool, JsonNode r) {
        JsonNode file = r.get("file");
        if (file != null && file.isObject() && file.has("filePath")) {
            long n = file.path("numLines").asLong(-1);
            long total = file.path("totalLines").asLong(-1);
            String name = base(file.path("filePath").asText());
            if (n < 0) return "read " + name;
            return "read " + n + (total > n ? " of " + total : "") + " lines of " + name;
        }
        if (r.has("filenames") && !r.has("mode")) {
            return files(
                            r.path("filenames"),
                            r.path("numFiles").asLong(r.path("filenames").size()))
                    + (r.path("truncated").asBoolean() ? " (truncated)" : "");
        }
        if (r.has("mode")) { // Grep
            String mode = r.path("mode").asText();
            if (mode.equals("content")) {
                long lines = r.path("numLines").asLong(0);
                return lines == 0 ? "no matches" : lines + " matching line" + (lines == 1 ? "" : "s");
            }
            if (mode.equals("count")) return r.path("numMatches").asLong(0) + " matches";
            return files(r.path("filenames"), r.path("numFiles").asLong(0));
        }
        if (r.has("isAsync") || "async_launched".equals(Payload.text(r, "status"))) {
            String id = Payload.text(r, "agentId");
            return "launched in the background" + (id == null ? "" : " as agent " + id);
        }
        JsonNode content = r.get("content");
        if (content != null && content.isArray() && ("Agent".equals(tool) || "Task".equals(tool))) {
            return Summary.texts(content);
        }
        JsonNode patch = r.get("structuredPatch");
        String path = Payload.text(r, "filePath");
        if ("create".equals(Payload.text(r, "type")) && path != null) {
            String text = Payload.text(r, "content");
            long lines = text == null ? 0 : text.lines().count();
            return "created " + base(path) + " (" + lines + " line" + (lines == 1 ? "" : "s") + ")";
        }
        if (patch != null && patch.isArray() && path != null) {
            long add = 0;
            long del = 0;
            for (JsonNode hunk : patch) {
                for (JsonNode line : hunk.path("lines")) {
                    String l = line.asText();
                    if (l.startsWith("+")) add++;
                    else if (l.startsWith("-")) del++;
                }
            }
            return "changed " + base(path) + ": +" + add + " −" + del + " lines";
        }
        return null;
    }

    private static String files(JsonNode names, long count) {
        if (count == 0) return "no files";
        StringBuilder b = new StringBuilder().append(count).append(count == 1 ? " file" : " files");
        int shown = 0;
        for (JsonNode n : names) {
            if (shown == 3) {
                b.append(", …");
                break;
            }
            b.append(shown == 0 ? ": " : ", ").append(base(n.asText()));
            shown++;
        }
        return b.toString();
    }

    static String base(String path) {
        String p = path.replaceAll("[/\\\\]+$", "");
        int slash = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
        return slash >= 0 ? p.substring(slash + 1) : p;
    }
}
