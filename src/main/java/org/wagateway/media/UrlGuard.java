package org.wagateway.media;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Decides whether the gateway may fetch a link, before anything is sent: scheme http or https, no user info,
 * a host and port on {@code gateway.media.allowed-hosts} ({@link AllowedHost}: an entry without a port allows
 * only the scheme's default port), and (unless {@code allow-private-addresses}) every address the
 * host resolves to is a public unicast one. The HTTP client's own lookup at connect time is checked again by
 * {@link CheckedDnsResolver}, so a name that changes its answer in between (DNS rebinding) is still refused.
 */
public class UrlGuard {

    private final List<AllowedHost> allowedHosts;
    private final boolean allowPrivateAddresses;
    private final HostResolver resolver;

    /** @throws IllegalArgumentException for a malformed allow-list entry */
    public UrlGuard(List<String> allowedHosts, boolean allowPrivateAddresses, HostResolver resolver) {
        this.allowedHosts = allowedHosts == null ? List.of()
                : allowedHosts.stream().map(AllowedHost::parse).toList();
        this.allowPrivateAddresses = allowPrivateAddresses;
        this.resolver = resolver;
    }

    /** A link the gateway may fetch, with the addresses it checked (in the resolver's order). */
    public record Target(URI uri, boolean https, String host, int port, List<InetAddress> addresses) {
    }

    /** The gateway will not fetch this link; the message says why (no secrets, no query string). */
    public static class Refused extends Exception {
        public Refused(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Checks a link and resolves its host.
     *
     * @throws Refused              when policy forbids it (nothing was sent, and for a host not on the
     *                              allow-list nothing was even looked up)
     * @throws UnknownHostException when the name does not resolve (may be transient)
     */
    public Target check(URI uri) throws Refused, UnknownHostException {
        if (uri == null || !uri.isAbsolute() || uri.isOpaque()) {
            throw new Refused("not an absolute http(s) link");
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new Refused("scheme " + scheme + " is not allowed");
        }
        if (uri.getRawUserInfo() != null) {
            throw new Refused("links with user info are not allowed");
        }
        String host = normalizeHost(uri.getHost());
        if (host == null) {
            throw new Refused("no valid host in the link");
        }
        if (!isAllowedHost(host)) {
            throw new Refused("host " + host + " is not on gateway.media.allowed-hosts");
        }
        boolean https = scheme.equals("https");
        int port = uri.getPort() == -1 ? (https ? 443 : 80) : uri.getPort();
        if (port < 1 || port > 65535) {
            throw new Refused("port " + port + " is not a valid port");
        }
        if (!isAllowed(host, https, port)) {
            throw new Refused("host " + host + " is on gateway.media.allowed-hosts but not at port " + port
                    + " (an entry without :port allows only " + (https ? "443 for https" : "80 for http") + ")");
        }
        String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : uri.getRawQuery());
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                throw new Refused("the link's path has characters that cannot be sent");
            }
        }
        List<InetAddress> addresses = resolver.resolve(host);
        if (addresses == null || addresses.isEmpty()) {
            throw new UnknownHostException(host + " has no address");
        }
        if (!allowPrivateAddresses) {
            for (InetAddress address : addresses) {
                if (!isPublic(address)) {
                    throw new Refused("host " + host + " resolves to a non-public address " + address.getHostAddress());
                }
            }
        }
        return new Target(uri, https, host, port, List.copyOf(addresses));
    }

    /** Whether the host (already lower case) matches an entry of the allow-list, at whatever port. */
    public boolean isAllowedHost(String host) {
        return allowedHosts.stream().anyMatch(entry -> entry.matchesHost(host));
    }

    /** Whether an entry of the allow-list allows the host (already lower case) at this port of this scheme. */
    public boolean isAllowed(String host, boolean https, int port) {
        return allowedHosts.stream().anyMatch(entry -> entry.allows(host, https, port));
    }

    /**
     * One allow-list entry against a host: exact (case-insensitive), {@code *.example.com} for any subdomain at
     * any depth (not example.com itself), or {@code *} within one label for any run of letters, digits and
     * hyphens ({@code sw-media*.storage.yandexcloud.net}).
     */
    public static boolean hostMatches(String pattern, String host) {
        String p = normalizeHost(pattern);
        String h = normalizeHost(host);
        if (p == null || h == null) {
            return false;
        }
        if (p.startsWith("*.")) {
            String suffix = p.substring(1);
            return h.length() > suffix.length() && h.endsWith(suffix) && !suffix.contains("*");
        }
        if (p.indexOf('*') < 0) {
            return p.equals(h);
        }
        StringBuilder regex = new StringBuilder();
        for (String part : p.split("\\*", -1)) {
            if (regex.length() > 0) {
                regex.append("[a-z0-9-]*");
            }
            regex.append(Pattern.quote(part));
        }
        return Pattern.matches(regex.toString(), h);
    }

    /** The host as the allow-list compares it: lower case, without IPv6 brackets or a trailing dot; null when empty. */
    static String normalizeHost(String host) {
        if (host == null) {
            return null;
        }
        String h = host.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        return h.isEmpty() ? null : h;
    }

    /**
     * Whether an address is public unicast: not loopback, any-local ("this network"), link-local (cloud metadata
     * lives at 169.254.169.254), private (10/8, 172.16/12, 192.168/16, fc00::/7, fec0::/10), shared CGNAT
     * (100.64/10), multicast, broadcast or reserved, documentation or benchmark ranges; IPv6 forms that embed an
     * IPv4 address (mapped, compatible, NAT64 64:ff9b::/96, 6to4 2002::/16) are judged by that address, and
     * Teredo (2001::/32) is refused outright.
     */
    public static boolean isPublic(InetAddress address) {
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return isPublicV4(b);
        }
        if (address instanceof Inet6Address && b.length == 16) {
            return isPublicV6(b);
        }
        return false;
    }

    private static boolean isPublicV4(byte[] b) {
        int a0 = b[0] & 0xff;
        int a1 = b[1] & 0xff;
        int a2 = b[2] & 0xff;
        if (a0 == 0 || a0 == 10 || a0 == 127) {
            return false; // this network, private, loopback
        }
        if (a0 == 100 && (a1 & 0xc0) == 64) {
            return false; // 100.64/10 shared address space (CGNAT)
        }
        if (a0 == 169 && a1 == 254) {
            return false; // link-local, cloud metadata
        }
        if (a0 == 172 && (a1 & 0xf0) == 16) {
            return false; // 172.16/12
        }
        if (a0 == 192 && a1 == 168) {
            return false; // 192.168/16
        }
        if (a0 == 192 && a1 == 0 && (a2 == 0 || a2 == 2)) {
            return false; // IETF protocol assignments, TEST-NET-1
        }
        if (a0 == 198 && (a1 & 0xfe) == 18) {
            return false; // 198.18/15 benchmarking
        }
        if ((a0 == 198 && a1 == 51 && a2 == 100) || (a0 == 203 && a1 == 0 && a2 == 113)) {
            return false; // TEST-NET-2, TEST-NET-3
        }
        return a0 < 224; // 224/4 multicast, 240/4 reserved and broadcast
    }

    private static boolean isPublicV6(byte[] b) {
        boolean zeroPrefix96 = true;
        for (int i = 0; i < 10; i++) {
            zeroPrefix96 &= b[i] == 0;
        }
        if (zeroPrefix96 && ((b[10] == (byte) 0xff && b[11] == (byte) 0xff) || (b[10] == 0 && b[11] == 0))) {
            // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (compatible, which also covers :: and ::1)
            return isPublicV4(new byte[] {b[12], b[13], b[14], b[15]});
        }
        int first = b[0] & 0xff;
        if (first == 0xff) {
            return false; // multicast
        }
        if ((first & 0xfe) == 0xfc) {
            return false; // fc00::/7 unique local
        }
        if (first == 0xfe && (b[1] & 0xc0) == 0x80) {
            return false; // fe80::/10 link-local
        }
        if (first == 0xfe && (b[1] & 0xc0) == 0xc0) {
            return false; // fec0::/10 site-local (deprecated)
        }
        if (first == 0x00 && b[1] == 0x64 && b[2] == (byte) 0xff && b[3] == (byte) 0x9b) {
            return isPublicV4(new byte[] {b[12], b[13], b[14], b[15]}); // 64:ff9b::/96 NAT64
        }
        if (first == 0x20 && b[1] == 0x02) {
            return isPublicV4(new byte[] {b[2], b[3], b[4], b[5]}); // 2002::/16 6to4
        }
        if (first == 0x20 && b[1] == 0x01 && b[2] == 0 && b[3] == 0) {
            return false; // 2001::/32 Teredo: the IPv4 end is hidden
        }
        if (first == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == (byte) 0xb8) {
            return false; // 2001:db8::/32 documentation
        }
        if (first == 0x01 && b[1] == 0 && b[2] == 0 && b[3] == 0 && b[4] == 0 && b[5] == 0 && b[6] == 0 && b[7] == 0) {
            return false; // 100::/64 discard
        }
        return (first & 0xe0) == 0x20; // only 2000::/3 is global unicast
    }
}
