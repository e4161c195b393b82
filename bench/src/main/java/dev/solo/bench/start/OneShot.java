package dev.solo.bench.start;

import dev.solo.core.Outcome;
import dev.solo.core.PortPolicy;
import dev.solo.core.Registry;
import dev.solo.core.SingleInstance;
import java.nio.file.Path;

/**
 * A {@code --run-once} client as a whole process: build the {@link SingleInstance}, one {@code
 * tryRunOnce("ECHO", "hi")}, print the answer, exit. What a thin client costs beyond a bare JVM.
 *
 * <pre>
 * OneShot HOME PORT socket|tcp
 * </pre>
 *
 * Exit 0 when delegated, 1 otherwise (the outcome on stderr).
 */
public final class OneShot {
    private OneShot() {}

    public static void main(String[] args) {
        SingleInstance app = SingleInstance.builder("solo-start")
                .registry(Registry.at(Path.of(args[0])))
                .policy(PortPolicy.fixed(Integer.parseInt(args[1])))
                .localSocket(args[2].equals("socket"))
                .build();
        Outcome o = app.tryRunOnce("ECHO", "hi", null);
        if (o instanceof Outcome.Delegated d) {
            System.out.println(d.text());
            System.exit(0);
        }
        System.err.println(o.message());
        System.exit(1);
    }
}
