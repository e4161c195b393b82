package dev.solo.core;

import dev.solo.core.internal.LineCodec;
import dev.solo.core.internal.Probe;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * {@link SingleInstance#tryRunOnce}: hands one request to the resident and reads its answer. Over TCP
 * the token goes out only on the connection whose {@code HELLO} proof was checked, and only after it.
 */
final class Delegation {
    private final SingleInstance app;
    private final Discovery discovery;

    Delegation(SingleInstance app, Discovery discovery) {
        this.app = app;
        this.discovery = discovery;
    }

    Outcome run(String verb, String args, byte[] body) {
        // One token for the whole exchange: the proof is checked against the token that is then sent.
        Token token = app.registry().token();
        Optional<Probe.Answered> found = discovery.locate(true, token);
        if (found.isEmpty()) return noResident();
        Probe.Answered resident = found.get();
        try (Probe.Session session = resident.session()) {
            OutputStream out = session.out();
            out.write(head(verb, args, body, token));
            if (body != null) out.write(body);
            out.flush();
            session.socket().setSoTimeout((int)
                    Math.min(Integer.MAX_VALUE, app.answerTimeout().toMillis()));
            return answer(resident.identity(), session.in());
        } catch (IOException e) {
            return new Outcome.ResidentLost(resident.identity(), e);
        }
    }

    Outcome.NoResident noResident() {
        return new Outcome.NoResident(
                "no " + app.service() + " of user " + app.user() + " answers on loopback " + app.policy());
    }

    /** {@code AUTH <token>\n} (when a token is given) and the verb line. */
    static byte[] head(String verb, String args, byte[] body, Token token) {
        StringBuilder head = new StringBuilder(128);
        if (token != null)
            head.append(LineCodec.AUTH).append(' ').append(token.value()).append('\n');
        head.append(verb);
        if (body != null) head.append(' ').append(body.length);
        if (args != null && !args.isEmpty()) head.append(' ').append(args);
        head.append('\n');
        return head.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Reads {@code SUCCESS\n<payload>} or {@code ERROR\n<message>} to the end of the stream. */
    Outcome answer(ServiceIdentity resident, java.io.InputStream in) throws IOException {
        String status = LineCodec.readLine(in, LineCodec.MAX_LINE);
        if (status == null) throw new IOException("the connection closed before an answer");
        return outcome(resident, status, LineCodec.readPayload(in, app.maxPayload()));
    }

    /** The outcome of a status line and the payload after it. */
    static Outcome outcome(ServiceIdentity resident, String status, byte[] payload) throws IOException {
        if (status.equals(LineCodec.SUCCESS)) return new Outcome.Delegated(resident, payload);
        if (status.equals(LineCodec.ERROR)) {
            return new Outcome.ResidentError(resident, new String(payload, StandardCharsets.UTF_8));
        }
        throw new IOException("the answer began with " + LineCodec.abbreviate(status) + " instead of SUCCESS or ERROR");
    }
}
