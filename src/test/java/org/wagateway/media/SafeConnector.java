package org.wagateway.media;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.net.SocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.hc.client5.http.io.DetachedSocketFactory;

/**
 * The tests' safety net under every connection the downloader's HTTP client opens: the client gets its sockets
 * from here, and each socket's connect records the address and refuses (without any packet sent) anything but
 * 127.0.0.1, so that no test can reach beyond loopback even if the guard, the resolver or the client were broken.
 */
final class SafeConnector implements DetachedSocketFactory {

    final List<InetSocketAddress> connections = new CopyOnWriteArrayList<>();
    private final Map<InetAddress, InetAddress> nat = new ConcurrentHashMap<>();

    /** Lets a test pretend a public address: connections to {@code publicAddress} go to 127.0.0.1 instead. */
    SafeConnector translate(InetAddress publicAddress) {
        nat.put(publicAddress, FakeResolver.loopback());
        return this;
    }

    @Override
    public Socket create(Proxy socksProxy) {
        if (socksProxy != null && socksProxy.type() != Proxy.Type.DIRECT) {
            throw new AssertionError("the test tried to connect through a proxy: " + socksProxy);
        }
        return new Socket(Proxy.NO_PROXY) {
            @Override
            public void connect(SocketAddress endpoint, int timeout) throws IOException {
                super.connect(checked(endpoint), timeout);
            }
        };
    }

    private InetSocketAddress checked(SocketAddress endpoint) {
        if (!(endpoint instanceof InetSocketAddress requested) || requested.isUnresolved()) {
            throw new AssertionError("the test tried to connect to an unresolved address: " + endpoint);
        }
        connections.add(requested);
        InetAddress translated = nat.get(requested.getAddress());
        InetSocketAddress address = translated == null ? requested
                : new InetSocketAddress(translated, requested.getPort());
        byte[] raw = address.getAddress().getAddress();
        if (raw.length != 4 || raw[0] != 127 || raw[1] != 0 || raw[2] != 0 || raw[3] != 1) {
            throw new AssertionError("the test tried to connect beyond 127.0.0.1: " + address);
        }
        return address;
    }
}
