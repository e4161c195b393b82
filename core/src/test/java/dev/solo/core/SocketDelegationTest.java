package dev.solo.core;

/** {@link DelegationContract} over the same-user Unix socket: one connection, no nonce, no token. */
class SocketDelegationTest extends DelegationContract {
    @Override
    boolean overSocket() {
        return true;
    }
}
