package dev.solo.core.it;

/** {@link DelegationScenarios} with a client that goes over TCP with the proof, as before issue 13. */
class TcpDelegationIT extends DelegationScenarios {
    @Override
    boolean overSocket() {
        return false;
    }
}
