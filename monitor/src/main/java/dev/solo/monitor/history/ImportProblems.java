package dev.solo.monitor.history;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an import could not read, each with its transcript and line: the first {@value #KEPT} are kept,
 * all are counted, so a directory of broken files says how many without an answer of megabytes.
 * One import's thread only.
 */
public final class ImportProblems {
    /** How many problems an answer lists; the rest are only counted. */
    public static final int KEPT = 20;

    /**
     * One thing an import left out.
     *
     * @param file the transcript (or directory) it is about
     * @param line the line of {@code file}, from 1; 0 when the problem is the whole file
     * @param what what is wrong and what was done about it
     */
    public record Problem(Path file, long line, String what) {
        /** The JSON form: {@code {"file", "line" (when there is one), "problem"}}. */
        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("file", file.toString());
            if (line > 0) m.put("line", line);
            m.put("problem", what);
            return m;
        }
    }

    private final List<Problem> kept = new ArrayList<>();
    private int total;

    void add(Path file, long line, String what) {
        total++;
        if (kept.size() < KEPT) kept.add(new Problem(file, line, what));
    }

    /** The first {@value #KEPT} problems, in the order met. */
    public List<Problem> kept() {
        return List.copyOf(kept);
    }

    /** How many there were in all. */
    public int total() {
        return total;
    }

    List<Map<String, Object>> toMaps() {
        List<Map<String, Object>> out = new ArrayList<>(kept.size());
        for (Problem p : kept) out.add(p.toMap());
        return out;
    }
}
