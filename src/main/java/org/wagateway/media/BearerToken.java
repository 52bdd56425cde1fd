package org.wagateway.media;

import java.net.URI;
import java.util.Locale;

/**
 * An {@code Authorization: Bearer} token and the one origin (scheme, host, port) it may go to. The downloader
 * adds it to a request only when the request's checked target is that origin, so a redirect to another host,
 * port or scheme goes without it. Its text never appears in {@link #toString()}.
 */
record BearerToken(String token, boolean https, String host, int port) {

    /** No token: what the providers' plain links are fetched with. */
    static final BearerToken NONE = new BearerToken(null, false, null, -1);

    /** The token for the origin of {@code link} (already parsed; scheme http or https). */
    static BearerToken forOrigin(String token, URI link) {
        boolean https = "https".equalsIgnoreCase(link.getScheme());
        String host = UrlGuard.normalizeHost(link.getHost());
        int port = link.getPort() == -1 ? (https ? 443 : 80) : link.getPort();
        return new BearerToken(token, https, host == null ? null : host.toLowerCase(Locale.ROOT), port);
    }

    /** Whether the request to this checked target carries the token. */
    boolean appliesTo(UrlGuard.Target target) {
        return token != null && host != null && target.https() == https && target.port() == port
                && target.host().equals(host);
    }

    @Override
    public String toString() {
        return token == null ? "BearerToken[none]"
                : "BearerToken[****, " + (https ? "https" : "http") + "://" + host + ":" + port + "]";
    }
}
