package dev.solo.core.support;

import dev.solo.core.ClaimResult;
import dev.solo.core.InstanceRecord;
import dev.solo.core.LineServer;
import dev.solo.core.PortPolicy;
import dev.solo.core.Protocol;
import dev.solo.core.Registry;
import dev.solo.core.ServiceIdentity;
import dev.solo.core.SingleInstance;
import dev.solo.core.Verb;
import dev.solo.core.internal.Platform;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builders for the service under test, with a registry of its own and timeouts fit for tests. */
public final class Residents {
    /** The service name every test uses; registries are per test, so they never meet. */
    public static final String SERVICE = "solo-test";

    private Residents() {}

    /**
     * A builder for {@link #SERVICE} on {@code policy} with its registry in {@code home}: probes wait
     * 1 s, a claim waits at most 3 s for a starting resident, a client at most 20 s for an answer.
     */
    public static SingleInstance.Builder app(Path home, PortPolicy policy) {
        return SingleInstance.builder(SERVICE)
                .version("test")
                .policy(policy)
                .registry(Registry.at(home))
                .probeTimeout(Duration.ofSeconds(1))
                .startWait(Duration.ofSeconds(3))
                .answerTimeout(Duration.ofSeconds(20));
    }

    /** Claims, and fails the test with the claim's own message when it did not get the port. */
    public static ClaimResult.Claimed claim(SingleInstance app) {
        ClaimResult r = app.claim();
        if (r instanceof ClaimResult.Claimed c) return c;
        throw new AssertionError(
                "expected to claim " + app.policy() + " but got " + r.getClass().getSimpleName() + ": " + r.message());
    }

    /** Claims and serves {@code verbs} with the default timeouts. */
    public static LineServer serve(SingleInstance app, Verb... verbs) {
        return serve(app, Duration.ofSeconds(2), verbs);
    }

    /** Claims and serves {@code verbs} with the given first-line timeout. */
    public static LineServer serve(SingleInstance app, Duration firstLineTimeout, Verb... verbs) {
        LineServer.Builder b = LineServer.builder(app).firstLineTimeout(firstLineTimeout);
        for (Verb v : verbs) b.verb(v);
        return b.start(claim(app));
    }

    /**
     * The HELLO identity a resident of {@link #SERVICE} run by this user would send, as a mutable map;
     * a fake adds its own {@code proof} (or a wrong one) and changes fields to play its part.
     */
    public static Map<String, Object> identityMap(int port) {
        ServiceIdentity id = new ServiceIdentity(
                SERVICE,
                "test",
                ProcessHandle.current().pid(),
                Platform.user(),
                "fake00000000",
                Instant.now(),
                port,
                "",
                ServiceIdentity.State.IDLE);
        return new LinkedHashMap<>(id.toMap(Instant.now()));
    }

    /** A registry record claiming that {@code pid} runs {@link #SERVICE} on {@code port} since {@code started}. */
    public static InstanceRecord record(int port, long pid, Instant started) {
        return new InstanceRecord(
                SERVICE,
                "",
                port,
                pid,
                started,
                "rec" + Long.toHexString(System.nanoTime()),
                Platform.user(),
                "test",
                Protocol.LINE,
                null);
    }

    /** The instance records of {@link #SERVICE} in {@code registry}, for assertions. */
    public static List<InstanceRecord> records(Registry registry) {
        return registry.records(SERVICE);
    }
}
