// The writer's SQLite cost per event, outside the monitor: the events table as Schema makes it, with
// variants, filled in transactions of a given size from one thread; prints that thread's CPU per event.
// Run with the driver the monitor uses, as the server runs (C1), alternating variants:
//   java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp ~/.m2/repository/org/xerial/sqlite-jdbc/3.54.1.0/sqlite-jdbc-3.54.1.0.jar \
//     bench/scripts/SqliteWriterExp.java VARIANT BATCH EVENTS [FIXTURES]
// VARIANT: base, or a comma-separated list of noauto (no AUTOINCREMENT), multi (one INSERT of up to 64 rows),
// noevent / nostream / nose (without events_event / events_stream / events_stream_event), cache (16 MB
// page cache), tempmem (temp_store=MEMORY). Four rounds of EVENTS events each (round 0 is warm-up).
// docs/benchmarks.md, "Branch `writer`".
import java.lang.management.*;
import java.nio.file.*;
import java.sql.*;
import java.util.*;

public class SqliteWriterExp {
    public static void main(String[] a) throws Exception {
        String variant = a[0];
        int batch = Integer.parseInt(a[1]);
        int n = Integer.parseInt(a[2]);
        Set<String> v = new HashSet<>(Arrays.asList(variant.split(",")));
        List<byte[]> payloads = new ArrayList<>();
        List<String> names = new ArrayList<>();
        try (var ds = Files.newDirectoryStream(Path.of(a.length > 3 ? a[3] : "../shared/fixtures/claude-code-hooks"))) {
            for (Path p : ds) if (Files.isRegularFile(p) && p.toString().endsWith(".json")) { payloads.add(Files.readAllBytes(p)); names.add(p.getFileName().toString().replace(".json","")); }
        }
        Path dir = Files.createTempDirectory("writer-exp");
        Properties p = new Properties();
        p.setProperty("jdbc.get_generated_keys", "false");
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("e.db"), p);
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=NORMAL");
            s.execute("PRAGMA wal_autocheckpoint=10000");
            if (v.contains("cache")) s.execute("PRAGMA cache_size=-16000");
            if (v.contains("tempmem")) s.execute("PRAGMA temp_store=MEMORY");
            s.execute("CREATE TABLE events (id INTEGER PRIMARY KEY" + (v.contains("noauto") ? "" : " AUTOINCREMENT") + ", received INTEGER NOT NULL, stream TEXT NOT NULL, event TEXT NOT NULL, tool TEXT, tool_use_id TEXT, agent_id TEXT, file TEXT, source TEXT NOT NULL, cut INTEGER NOT NULL DEFAULT 0, json TEXT NOT NULL)");
            if (!v.contains("nostream")) s.execute("CREATE INDEX events_stream ON events(stream, id)");
            if (!v.contains("noevent")) s.execute("CREATE INDEX events_event ON events(event, id)");
            if (!v.contains("nose")) s.execute("CREATE INDEX events_stream_event ON events(stream, event, id)");
            s.execute("CREATE TABLE streams (id TEXT PRIMARY KEY, title TEXT, cwd TEXT, first INTEGER NOT NULL, last INTEGER NOT NULL, events INTEGER NOT NULL, last_event TEXT, waiting TEXT, waiting_since INTEGER NOT NULL DEFAULT 0, ended INTEGER NOT NULL DEFAULT 0, waiting_event TEXT)");
        }
        c.setAutoCommit(false);
        String[] streams = new String[8];
        for (int i = 0; i < 8; i++) streams[i] = UUID.randomUUID().toString();
        String row = "(?,?,?,?,?,?,?,?,?,?,CAST(? AS TEXT))";
        String ins = "INSERT INTO events (id, received, stream, event, tool, tool_use_id, agent_id, file, source, cut, json) VALUES ";
        PreparedStatement one = c.prepareStatement(ins + row);
        int M = v.contains("multi") ? Math.min(batch, 64) : 1;
        PreparedStatement many = M > 1 ? c.prepareStatement(ins + String.join(",", Collections.nCopies(M, row))) : null;
        PreparedStatement upd = c.prepareStatement("UPDATE streams SET title = ?, cwd = ?, first = ?, last = ?, events = ?, last_event = ?, waiting = ?, waiting_since = ?, ended = ?, waiting_event = ? WHERE id = ?");
        PreparedStatement up = c.prepareStatement("INSERT OR REPLACE INTO streams (id, title, cwd, first, last, events, last_event, waiting, waiting_since, ended, waiting_event) VALUES (?,?,?,?,?,?,?,?,?,?,?)");
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long id = 0;
        for (int round = 0; round < 4; round++) {
            long t0 = mx.getCurrentThreadCpuTime();
            long w0 = System.nanoTime();
            int done = 0;
            while (done < n) {
                int b = Math.min(batch, n - done);
                int k = 0;
                while (k < b) {
                    PreparedStatement ps; int rows;
                    if (many != null && b - k >= M) { ps = many; rows = M; } else { ps = one; rows = 1; }
                    for (int r = 0; r < rows; r++) {
                        long i = ++id;
                        int f = (int) (i % payloads.size());
                        int o = r * 11;
                        ps.setLong(o + 1, i);
                        ps.setLong(o + 2, System.currentTimeMillis());
                        ps.setString(o + 3, streams[(int) (i % 8)]);
                        ps.setString(o + 4, names.get(f));
                        ps.setString(o + 5, (i % 3 == 0) ? "Bash" : null);
                        ps.setString(o + 6, (i % 3 == 0) ? "toolu_01" + i : null);
                        ps.setString(o + 7, null);
                        ps.setString(o + 8, (i % 5 == 0) ? "/home/u/p/src/File" + (i % 50) + ".java" : null);
                        ps.setString(o + 9, "hook");
                        ps.setLong(o + 10, 0);
                        ps.setBytes(o + 11, payloads.get(f));
                    }
                    ps.executeUpdate();
                    k += rows;
                }
                for (int s = 0; s < Math.min(8, b); s++) {
                    upd.setString(1, "title"); upd.setString(2, "/home/u/p"); upd.setLong(3, 1); upd.setLong(4, System.currentTimeMillis());
                    upd.setLong(5, id); upd.setString(6, "PostToolUse"); upd.setNull(7, Types.VARCHAR); upd.setLong(8, 0); upd.setInt(9, 0); upd.setNull(10, Types.VARCHAR); upd.setString(11, streams[s]);
                    if (upd.executeUpdate() == 0) {
                        up.setString(1, streams[s]); up.setString(2, "t"); up.setString(3, "c"); up.setLong(4, 1); up.setLong(5, 1); up.setLong(6, 1); up.setString(7, "x"); up.setNull(8, Types.VARCHAR); up.setLong(9, 0); up.setInt(10, 0); up.setNull(11, Types.VARCHAR);
                        up.executeUpdate();
                    }
                }
                c.commit();
                done += b;
            }
            long cpu = mx.getCurrentThreadCpuTime() - t0;
            System.out.printf("%s batch %d round %d: %.2f us/event cpu, %.2f us wall%n", variant, batch, round, cpu / 1e3 / n, (System.nanoTime() - w0) / 1e3 / n);
        }
        c.close();
        try (var w = Files.walk(dir)) { w.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete()); }
    }
}
