package dev.solo.monitor.hooks;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.solo.monitor.hooks.JsonSpans.Arr;
import dev.solo.monitor.hooks.JsonSpans.Member;
import dev.solo.monitor.hooks.JsonSpans.Node;
import dev.solo.monitor.hooks.JsonSpans.Obj;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Our hooks added to, and taken out of, the text of a settings file by splicing: what the user wrote
 * stays byte for byte. An entry is appended after the last one of its array or object (a comma, a line
 * break, the indentation of that last entry, then the entry), and removing an entry takes out the text
 * from the end of the one before it to its own end, so {@code uninstall} after {@code install} gives back
 * the file as it was. A container that held only ours goes as a whole.
 *
 * <p>The caller has checked the shape ({@link #check}): {@code hooks} an object, each event an array.
 */
final class SettingsText {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ObjectWriter PRETTY =
            MAPPER.writer(new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n")));

    private SettingsText() {}

    /** A splice: replace {@code [start, end)} with {@code text}. */
    private record Edit(int start, int end, String text) {}

    /** What {@link #removeOurs} left, and how many events had a hook of ours. */
    record Removed(String text, int events, boolean rootEmpty) {}

    /**
     * Throws when {@code root} is not an object, or its {@code hooks} is not an object of arrays: solo
     * would have to replace what the user wrote there.
     */
    static Obj check(Node root, String file) throws IOException {
        if (!(root instanceof Obj obj))
            throw new IOException(file + " does not hold a JSON object; nothing was changed.");
        Member hooks = obj.member("hooks");
        if (hooks == null) return obj;
        if (!(hooks.value() instanceof Obj events)) {
            throw new IOException("\"hooks\" in " + file + " is not an object, as Claude Code expects; fix it by hand,"
                    + " then run the command again. Nothing was changed.");
        }
        for (Member e : events.members()) {
            if (!(e.value() instanceof Arr)) {
                throw new IOException("\"hooks\".\"" + e.name() + "\" in " + file + " is not an array, as Claude Code"
                        + " expects; fix it by hand, then run the command again. Nothing was changed.");
            }
        }
        return obj;
    }

    /** Takes out every hook entry {@code ours} accepts; groups, events and {@code hooks} left empty go too. */
    static Removed removeOurs(String text, Obj root, Predicate<JsonNode> ours) throws IOException {
        Member hooks = root.member("hooks");
        if (hooks == null) return new Removed(text, 0, root.members().isEmpty());
        Obj events = (Obj) hooks.value();
        List<Edit> edits = new ArrayList<>();
        List<Integer> goneEvents = new ArrayList<>();
        int count = 0;
        for (int e = 0; e < events.members().size(); e++) {
            Arr groups = (Arr) events.members().get(e).value();
            List<Integer> goneGroups = new ArrayList<>();
            boolean found = false;
            for (int g = 0; g < groups.items().size(); g++) {
                if (!(groups.items().get(g) instanceof Obj group)
                        || group.member("hooks") == null
                        || !(group.member("hooks").value() instanceof Arr list)) continue;
                List<Integer> mine = new ArrayList<>();
                for (int h = 0; h < list.items().size(); h++) {
                    Node item = list.items().get(h);
                    if (ours.test(MAPPER.readTree(text.substring(item.start(), item.end())))) mine.add(h);
                }
                if (mine.isEmpty()) continue;
                found = true;
                if (mine.size() == list.items().size()) goneGroups.add(g);
                else removeItems(text, list.start(), list.end(), spans(list.items()), mine, edits);
            }
            if (!found) continue;
            count++;
            if (goneGroups.size() == groups.items().size()) goneEvents.add(e);
            else removeItems(text, groups.start(), groups.end(), spans(groups.items()), goneGroups, edits);
        }
        boolean hooksGone = !events.members().isEmpty()
                && goneEvents.size() == events.members().size();
        if (hooksGone) {
            removeItems(
                    text,
                    root.start(),
                    root.end(),
                    members(root.members()),
                    List.of(root.members().indexOf(hooks)),
                    edits);
        } else {
            removeItems(text, events.start(), events.end(), members(events.members()), goneEvents, edits);
        }
        return new Removed(
                apply(text, edits), count, hooksGone && root.members().size() == 1);
    }

    /** Appends one group (one hook) per event: to the event's array, else as a new event, else a new {@code hooks}. */
    static String append(String text, Obj root, Map<String, JsonNode> groups) throws IOException {
        Member hooks = root.member("hooks");
        List<Edit> edits = new ArrayList<>();
        if (hooks == null) {
            Map<String, List<JsonNode>> all = new LinkedHashMap<>();
            groups.forEach((event, group) -> all.put(event, List.of(group)));
            insert(text, root.start(), root.end(), members(root.members()), List.of(entry("hooks", all)), edits);
            return apply(text, edits);
        }
        Obj events = (Obj) hooks.value();
        List<String> fresh = new ArrayList<>();
        for (Map.Entry<String, JsonNode> g : groups.entrySet()) {
            Member event = events.member(g.getKey());
            if (event == null) {
                fresh.add(entry(g.getKey(), List.of(g.getValue())));
            } else {
                Arr arr = (Arr) event.value();
                insert(
                        text,
                        arr.start(),
                        arr.end(),
                        spans(arr.items()),
                        List.of(PRETTY.writeValueAsString(g.getValue())),
                        edits);
            }
        }
        if (!fresh.isEmpty()) insert(text, events.start(), events.end(), members(events.members()), fresh, edits);
        return apply(text, edits);
    }

    /** {@code "name" : value}, the value pretty-printed. */
    private static String entry(String name, Object value) throws IOException {
        return MAPPER.writeValueAsString(name) + " : " + PRETTY.writeValueAsString(MAPPER.valueToTree(value));
    }

    /**
     * Adds {@code added} (entries as text) after the last entry of the container {@code [start, end)}, whose
     * entries span {@code entries}: each on a line of its own, indented as that last entry (in an empty
     * container: as the container's line, plus two spaces).
     */
    private static void insert(
            String text, int start, int end, List<int[]> entries, List<String> added, List<Edit> edits) {
        boolean empty = entries.isEmpty();
        String indent = empty
                ? JsonSpans.indentAt(text, start) + "  "
                : JsonSpans.indentAt(text, entries.get(entries.size() - 1)[0]);
        StringBuilder b = new StringBuilder();
        for (String a : added) {
            if (!empty || b.length() > 0) b.append(',');
            b.append('\n').append(indent).append(a.replace("\n", "\n" + indent));
        }
        if (empty) {
            if (end - start == 2) b.append('\n').append(JsonSpans.indentAt(text, start)); // "{}": close on its own line
            edits.add(new Edit(start + 1, start + 1, b.toString()));
        } else {
            int last = entries.get(entries.size() - 1)[1];
            edits.add(new Edit(last, last, b.toString()));
        }
    }

    /**
     * Removes the entries at {@code gone} (indexes into {@code entries}, spans of the container {@code
     * [start, end)}): from the end of the entry before to the entry's end; a first entry up to the start of
     * the first one kept; a sole entry with the line break and indentation an insert put before it.
     */
    private static void removeItems(
            String text, int start, int end, List<int[]> entries, List<Integer> gone, List<Edit> edits) {
        if (gone.isEmpty()) return;
        if (gone.size() == entries.size()) {
            int to = entries.get(entries.size() - 1)[1];
            String rest = text.substring(to, end - 1);
            String closing = "\n" + JsonSpans.indentAt(text, start);
            edits.add(new Edit(start + 1, rest.equals(closing) ? end - 1 : to, ""));
            return;
        }
        int firstKept = 0;
        while (gone.contains(firstKept)) firstKept++;
        if (firstKept > 0) edits.add(new Edit(entries.get(0)[0], entries.get(firstKept)[0], ""));
        for (int i : gone) {
            if (i > firstKept) edits.add(new Edit(entries.get(i - 1)[1], entries.get(i)[1], ""));
        }
    }

    private static List<int[]> spans(List<Node> items) {
        return items.stream().map(n -> new int[] {n.start(), n.end()}).toList();
    }

    private static List<int[]> members(List<Member> members) {
        return members.stream().map(m -> new int[] {m.start(), m.end()}).toList();
    }

    private static String apply(String text, List<Edit> edits) {
        List<Edit> sorted = new ArrayList<>(edits);
        sorted.sort(Comparator.comparingInt(Edit::start).reversed());
        StringBuilder b = new StringBuilder(text);
        for (Edit e : sorted) b.replace(e.start(), e.end(), e.text());
        return b.toString();
    }
}
