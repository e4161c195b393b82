package dev.solo.core;

/** {@link DelegationContract} over TCP: {@code HELLO}, the proof, then {@code AUTH} and the request. */
class TcpDelegationTest extends DelegationContract {
    @Override
    boolean overSocket() {
        return false;
    }
}
