package org.wagateway.media;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The tests' safety net around every connection the downloader opens: records it, and refuses (without any
 * packet sent) anything but 127.0.0.1, so that no test can reach beyond loopback even if the guard were broken.
 */
final class SafeConnector implements PinnedHttpClient.Connector {

    final List<InetSocketAddress> connections = new CopyOnWriteArrayList<>();
    private final Map<InetAddress, InetAddress> nat = new ConcurrentHashMap<>();

    /** Lets a test pretend a public address: connections to {@code publicAddress} go to 127.0.0.1 instead. */
    SafeConnector translate(InetAddress publicAddress) {
        nat.put(publicAddress, FakeResolver.loopback());
        return this;
    }

    @Override
    public Socket connect(InetSocketAddress requested, int timeoutMs) throws IOException {
        connections.add(requested);
        InetAddress translated = nat.get(requested.getAddress());
        InetSocketAddress address = translated == null ? requested
                : new InetSocketAddress(translated, requested.getPort());
        byte[] raw = address.getAddress().getAddress();
        if (raw.length != 4 || raw[0] != 127 || raw[1] != 0 || raw[2] != 0 || raw[3] != 1) {
            throw new AssertionError("the test tried to connect beyond 127.0.0.1: " + address);
        }
        return PinnedHttpClient.Connector.DIRECT.connect(address, timeoutMs);
    }
}
