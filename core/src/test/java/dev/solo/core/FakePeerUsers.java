package dev.solo.core;

import dev.solo.core.support.FakeUsers;
import java.net.InetSocketAddress;
import java.util.List;

/** The kernel's answer to "who owns this connection", as a test's {@link FakeUsers} decides it. */
final class FakePeerUsers extends PeerUsers {
    private final FakeUsers users;

    FakePeerUsers(FakeUsers users) {
        this.users = users;
    }

    @Override
    boolean available() {
        return true;
    }

    @Override
    int self() {
        return FakeUsers.SELF;
    }

    @Override
    int[] owners(List<InetSocketAddress> remotes, List<InetSocketAddress> locals) {
        return users.owners(remotes);
    }
}
