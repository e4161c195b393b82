package dev.solo.core;

/** {@link ClientGoneContract} over TCP. */
class TcpClientGoneTest extends ClientGoneContract {
    @Override
    boolean overSocket() {
        return false;
    }
}
