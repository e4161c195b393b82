package dev.solo.core;

/** {@link ClientGoneContract} over the same-user Unix socket. */
class SocketClientGoneTest extends ClientGoneContract {
    @Override
    boolean overSocket() {
        return true;
    }
}
