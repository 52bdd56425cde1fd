package org.wagateway.media;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.apache.hc.client5.http.DnsResolver;

/**
 * The HTTP client's only source of addresses: resolves through our {@link HostResolver} and hands the connection
 * manager nothing but addresses it has just checked. The client connects to exactly the addresses returned here
 * (TLS SNI and the certificate check still use the host name), so the name cannot answer a check with a public
 * address and the connection with a private one (DNS rebinding).
 *
 * <p>Unless private addresses are allowed, a name with even one loopback, private, link-local, multicast...
 * address ({@link UrlGuard#isPublic}) is refused with {@link AddressRefused}, before any socket is opened.
 * At most {@value #MAX_ADDRESSES_TRIED} addresses are returned (each may cost a connect timeout). Never a
 * reverse lookup: {@link #resolveCanonicalHostname} returns the name as given.
 */
final class CheckedDnsResolver implements DnsResolver {

    static final int MAX_ADDRESSES_TRIED = 3;

    private final HostResolver resolver;
    private final BooleanSupplier allowPrivateAddresses;

    /**
     * @param allowPrivateAddresses read at each lookup (the {@code gateway.media.allow-private-addresses} setting)
     */
    CheckedDnsResolver(HostResolver resolver, BooleanSupplier allowPrivateAddresses) {
        this.resolver = resolver;
        this.allowPrivateAddresses = allowPrivateAddresses;
    }

    /** A name that resolves to an address the gateway must not connect to; nothing was sent. */
    static final class AddressRefused extends UnknownHostException {
        AddressRefused(String message) {
            super(message);
        }
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        String name = unbracket(host);
        List<InetAddress> addresses = resolver.resolve(name);
        if (addresses == null || addresses.isEmpty()) {
            throw new UnknownHostException(name + " has no address");
        }
        if (!allowPrivateAddresses.getAsBoolean()) {
            for (InetAddress address : addresses) {
                if (!UrlGuard.isPublic(address)) {
                    throw new AddressRefused("host " + name + " resolves to a non-public address "
                            + address.getHostAddress());
                }
            }
        }
        return addresses.stream().limit(MAX_ADDRESSES_TRIED).toArray(InetAddress[]::new);
    }

    /** The same checked addresses with the port (never an unresolved address the socket would look up). */
    @Override
    public List<InetSocketAddress> resolve(String host, int port) throws UnknownHostException {
        return Arrays.stream(resolve(host)).map(address -> new InetSocketAddress(address, port)).toList();
    }

    @Override
    public String resolveCanonicalHostname(String host) {
        return host;
    }

    private static String unbracket(String host) {
        return host != null && host.length() > 2 && host.startsWith("[") && host.endsWith("]")
                ? host.substring(1, host.length() - 1) : host;
    }
}
