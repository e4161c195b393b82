package dev.solo.core.testapp;

import dev.solo.core.Outcome;
import dev.solo.core.PortPolicy;
import dev.solo.core.SingleInstance;
import java.util.Base64;

/**
 * A {@code --run-once} client for the child-process tests: one {@code tryRunOnce} of {@link
 * LineResident#SERVICE}, and one result line on stdout.
 *
 * <pre>
 * Client (--port N | --range A B) VERB [--service NAME] [--no-local-socket]
 *   DELEGATED &lt;base64 payload&gt; | RESIDENT_ERROR &lt;message&gt; | LOST &lt;message&gt; | NO_RESIDENT &lt;message&gt;
 *   ERROR &lt;exception&gt; (exit 3)
 * </pre>
 */
public final class Client {
    private Client() {}

    public static void main(String[] args) {
        try {
            PortPolicy policy;
            int i;
            if (args[0].equals("--port")) {
                policy = PortPolicy.fixed(Integer.parseInt(args[1]));
                i = 2;
            } else {
                policy = PortPolicy.range(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
                i = 3;
            }
            String verb = args[i];
            String service = LineResident.SERVICE;
            boolean localSocket = true;
            for (int k = i + 1; k < args.length; k++) {
                if (args[k].equals("--service")) service = args[++k];
                if (args[k].equals("--no-local-socket")) localSocket = false;
            }
            SingleInstance app = SingleInstance.builder(service)
                    .policy(policy)
                    .localSocket(localSocket)
                    .build();
            Outcome o = app.tryRunOnce(verb, null, null);
            if (o instanceof Outcome.Delegated d) {
                System.out.println("DELEGATED " + Base64.getEncoder().encodeToString(d.payload()));
            } else if (o instanceof Outcome.ResidentError e) {
                System.out.println("RESIDENT_ERROR " + e.error());
            } else if (o instanceof Outcome.ResidentLost l) {
                System.out.println("LOST " + l.message());
            } else {
                System.out.println("NO_RESIDENT " + o.message());
            }
            System.exit(0);
        } catch (Throwable t) {
            System.out.println("ERROR " + t);
            t.printStackTrace();
            System.exit(3);
        }
    }
}
