package dev.solo.monitor.server;

import dev.solo.monitor.board.Board;
import dev.solo.monitor.cost.Ledger;
import dev.solo.monitor.history.Importer;
import dev.solo.monitor.permission.PermissionDesk;
import dev.solo.monitor.transcript.ClaudeHome;

/** The parts behind the board, conversation, cost, history and permission routes, owned by {@link MonitorServer}. */
record Mission(Board board, Ledger ledger, PermissionDesk desk, Importer importer, ClaudeHome home) {}
