package dev.solo.monitor.server;

import dev.solo.monitor.security.Guard;
import dev.solo.monitor.security.Guard.Credential;
import org.eclipse.jetty.http.HttpHeader;

/** The answer to a request whose credential does not open its route: each says what would. */
final class Refusal {
    private Refusal() {}

    /** 401 without a usable credential, 403 with one that does not open this level. */
    static void answer(Exchange x, Guard guard, Access access, Credential c) {
        if (c != Credential.NONE) {
            x.error(
                    403,
                    switch (c) {
                        case INGEST_KEY -> "the ingest key can only append events; this needs "
                                + (access == Access.ADMIN
                                        ? "the monitor's token ('solo monitor token')."
                                        : "a dashboard session ('solo monitor open') or the monitor's token.");
                        case SESSION -> "a dashboard session can only read; this needs the monitor's token"
                                + " ('solo monitor token').";
                        default -> "this credential does not open " + x.method() + " here.";
                    });
            return;
        }
        x.response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"solo-monitor\"");
        x.error(
                401,
                switch (access) {
                    case INGEST -> {
                        String problem = guard.ingestKeyProblem();
                        yield "missing or wrong ingest key. Hooks send 'Authorization: Bearer <ingest key>'; run 'solo"
                                + " monitor hooks install' to write hooks that carry the current key."
                                + (problem.isEmpty() ? "" : " (" + problem + ")");
                    }
                    case DASHBOARD -> "no access: no dashboard session, or it ended (a restart of the monitor or a"
                            + " new token ends sessions). Run 'solo monitor open' to log in, or send"
                            + " 'Authorization: Bearer <token>' (see 'solo monitor token').";
                    default -> "this needs the monitor's token: 'Authorization: Bearer <token>' (see 'solo monitor"
                            + " token').";
                });
    }
}
