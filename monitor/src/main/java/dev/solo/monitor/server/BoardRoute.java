package dev.solo.monitor.server;

import dev.solo.monitor.board.Board;
import dev.solo.monitor.permission.PermissionDesk;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/board}: every stream's card ({@link Board#snapshot}), its held permission prompts
 * ({@code holds}), the totals strip, and the permission settings.
 */
final class BoardRoute {
    private final Board board;
    private final PermissionDesk desk;

    BoardRoute(Board board, PermissionDesk desk) {
        this.board = board;
        this.desk = desk;
    }

    @SuppressWarnings("unchecked")
    void board(Exchange x) {
        Map<String, Object> body = board.snapshot();
        List<Map<String, Object>> holds = desk.holds();
        for (Map<String, Object> s : (List<Map<String, Object>>) body.get("streams")) {
            List<Map<String, Object>> mine = new ArrayList<>();
            for (Map<String, Object> h : holds) if (h.get("stream").equals(s.get("id"))) mine.add(h);
            s.put("holds", mine);
            s.put("answer_here", desk.settings().holds((String) s.get("id")));
        }
        body.put("permissions", desk.settings().toMap());
        x.json(200, body);
    }
}
