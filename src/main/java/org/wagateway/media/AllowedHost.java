package org.wagateway.media;

import java.util.Locale;

/**
 * One entry of {@code gateway.media.allowed-hosts}: a host pattern (see {@link UrlGuard#hostMatches}) and the
 * port it allows. {@code host} allows only the link's default port (80 for http, 443 for https);
 * {@code host:8443} that port only; {@code host:*} any port, meant for development and tests against servers on
 * random ports. An IPv6 address with a port goes in brackets ({@code [2001:db8::1]:8080}); one without
 * brackets is an address without a port.
 */
public record AllowedHost(String host, int port) {

    /** The link's default port: 80 for http, 443 for https. */
    public static final int DEFAULT_PORT = -1;
    /** Any port ({@code host:*}). */
    public static final int ANY_PORT = 0;

    /** Reads one entry; a malformed one is an error, so that a typo stops the start instead of refusing media. */
    public static AllowedHost parse(String entry) {
        String e = entry == null ? "" : entry.strip().toLowerCase(Locale.ROOT);
        String host;
        String port = null;
        if (e.startsWith("[")) {
            int close = e.indexOf(']');
            if (close < 0) {
                throw invalid(entry, "an IPv6 address needs its closing ]");
            }
            host = e.substring(1, close);
            String rest = e.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw invalid(entry, "only :port may follow ]");
                }
                port = rest.substring(1);
            }
        } else {
            int colon = e.indexOf(':');
            if (colon >= 0 && colon == e.lastIndexOf(':')) {
                host = e.substring(0, colon);
                port = e.substring(colon + 1);
            } else {
                host = e; // no colon, or several: an IPv6 address without a port
            }
        }
        if (host.isEmpty()) {
            throw invalid(entry, "no host");
        }
        return new AllowedHost(host, port == null ? DEFAULT_PORT : parsePort(entry, port));
    }

    private static int parsePort(String entry, String port) {
        if (port.equals("*")) {
            return ANY_PORT;
        }
        if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw invalid(entry, "the port must be a number or *");
        }
        int value = Integer.parseInt(port);
        if (value < 1 || value > 65535) {
            throw invalid(entry, "the port must be 1 to 65535");
        }
        return value;
    }

    private static IllegalArgumentException invalid(String entry, String why) {
        return new IllegalArgumentException("gateway.media.allowed-hosts entry '" + entry + "': " + why);
    }

    /** Whether this entry names the host, whatever the port. */
    public boolean matchesHost(String candidate) {
        return UrlGuard.hostMatches(host, candidate);
    }

    /** Whether this entry allows the host at this port of this scheme. */
    public boolean allows(String candidate, boolean https, int candidatePort) {
        if (!matchesHost(candidate)) {
            return false;
        }
        return switch (port) {
            case ANY_PORT -> true;
            case DEFAULT_PORT -> candidatePort == (https ? 443 : 80);
            default -> candidatePort == port;
        };
    }
}
