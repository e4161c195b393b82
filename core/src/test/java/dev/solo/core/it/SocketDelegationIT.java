package dev.solo.core.it;

/** {@link DelegationScenarios} with a client that takes the resident's same-user socket. */
class SocketDelegationIT extends DelegationScenarios {
    @Override
    boolean overSocket() {
        return true;
    }
}
