package org.wagateway.media;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** The tests' DNS: names resolve only to what the test says; nothing is ever looked up for real. */
final class FakeResolver implements HostResolver {

    private final Map<String, List<InetAddress>> names = new ConcurrentHashMap<>();
    private final Map<String, List<InetAddress>> later = new ConcurrentHashMap<>();
    final List<String> lookups = new CopyOnWriteArrayList<>();

    FakeResolver map(String name, InetAddress... addresses) {
        names.put(name.toLowerCase(Locale.ROOT), List.of(addresses));
        later.remove(name.toLowerCase(Locale.ROOT));
        return this;
    }

    /** DNS rebinding: the first lookup of {@code name} answers {@code first}, every later one {@code then}. */
    FakeResolver rebind(String name, InetAddress first, InetAddress then) {
        names.put(name.toLowerCase(Locale.ROOT), List.of(first));
        later.put(name.toLowerCase(Locale.ROOT), List.of(then));
        return this;
    }

    @Override
    public List<InetAddress> resolve(String host) throws UnknownHostException {
        String key = host.toLowerCase(Locale.ROOT);
        boolean first = !lookups.stream().anyMatch(host::equalsIgnoreCase);
        lookups.add(host);
        List<InetAddress> addresses = !first && later.containsKey(key) ? later.get(key) : names.get(key);
        if (addresses == null) {
            throw new UnknownHostException(host + " (not mapped in this test)");
        }
        return addresses;
    }

    static InetAddress ip(String name, int... bytes) {
        byte[] raw = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            raw[i] = (byte) bytes[i];
        }
        try {
            return InetAddress.getByAddress(name, raw);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static InetAddress loopback() {
        return ip("localhost", 127, 0, 0, 1);
    }
}
