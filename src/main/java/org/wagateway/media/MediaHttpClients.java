package org.wagateway.media;

import java.net.Proxy;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SchemePortResolver;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.DefaultHttpClientConnectionOperator;
import org.apache.hc.client5.http.impl.io.ManagedHttpClientConnectionFactory;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.io.DetachedSocketFactory;
import org.apache.hc.client5.http.io.HttpClientConnectionOperator;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.URIScheme;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.config.RegistryBuilder;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.http.message.BasicHeader;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * The downloader's Apache HttpClient 5 (classic): pooled connections whose addresses come only from a
 * {@link CheckedDnsResolver}, TLS with the host name for SNI and the certificate check, no proxy, no automatic
 * redirects (the downloader follows them, checking each hop), no automatic retries (the downloader has its own
 * with backoff), no cookies, no authentication; gzip and deflate answers decoded as the library does by default.
 * Heads are limited to lines of 8 KiB and 100 header lines.
 *
 * <p>Timeouts are read from {@link MediaProperties} for each new connection ({@code connect-timeout}, and
 * {@code read-timeout} for the TLS handshake and every wait for bytes) and each request ({@link #requestConfig}).
 */
final class MediaHttpClients {

    static final String USER_AGENT = "whatsapp-gateway-media/1";

    /** Plain sockets, never through a proxy (not even a JVM-wide SOCKS one). */
    static final DetachedSocketFactory DIRECT = proxy -> new Socket(Proxy.NO_PROXY);

    /** Longest line of an answer's head (or chunk size line), and most header lines: beyond is a bad answer. */
    private static final int MAX_LINE = 8 * 1024;
    private static final int MAX_HEADERS = 100;
    /** Idle pooled connections are checked for a close by the server before reuse after this long. */
    private static final TimeValue VALIDATE_AFTER_INACTIVITY = TimeValue.ofMilliseconds(1);
    /** No connection, and so no address resolved for it, is used longer than this. */
    private static final TimeValue CONNECTION_TIME_TO_LIVE = TimeValue.ofMinutes(2);

    private MediaHttpClients() {
    }

    /**
     * @param sockets where the TCP sockets come from: {@link #DIRECT}, or the tests' safety net
     */
    static CloseableHttpClient create(MediaProperties properties, DnsResolver dns, SSLContext tls,
                                      DetachedSocketFactory sockets) {
        PoolingHttpClientConnectionManager connections = new SocketFactoryBuilder(sockets)
                .setConnectionFactory(ManagedHttpClientConnectionFactory.builder()
                        .http1Config(Http1Config.custom()
                                .setMaxLineLength(MAX_LINE)
                                .setMaxHeaderCount(MAX_HEADERS)
                                .build())
                        .build())
                .setDnsResolver(dns)
                .setTlsSocketStrategy(new DefaultClientTlsStrategy(tls))
                .setSocketConfigResolver(route -> SocketConfig.custom()
                        .setSoTimeout(timeout(properties.getReadTimeout()))
                        .setTcpNoDelay(true)
                        .build())
                .setConnectionConfigResolver(route -> ConnectionConfig.custom()
                        .setConnectTimeout(timeout(properties.getConnectTimeout()))
                        .setSocketTimeout(timeout(properties.getReadTimeout()))
                        .setValidateAfterInactivity(VALIDATE_AFTER_INACTIVITY)
                        .setTimeToLive(CONNECTION_TIME_TO_LIVE)
                        .build())
                .setMaxConnPerRoute(20)
                .setMaxConnTotal(100)
                .build();
        return HttpClients.custom()
                .setConnectionManager(connections)
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .setUserAgent(USER_AGENT)
                .setDefaultHeaders(List.of(new BasicHeader("Accept", "*/*")))
                .setDefaultRequestConfig(requestConfig(properties))
                .build();
    }

    /** One request's settings, from the current properties. */
    static RequestConfig requestConfig(MediaProperties properties) {
        return RequestConfig.custom()
                .setRedirectsEnabled(false)
                .setAuthenticationEnabled(false)
                .setProtocolUpgradeEnabled(false)
                .setConnectionRequestTimeout(timeout(properties.getConnectTimeout()))
                .setResponseTimeout(timeout(properties.getReadTimeout()))
                .build();
    }

    private static Timeout timeout(Duration duration) {
        return Timeout.ofMilliseconds(Math.max(1, duration.toMillis()));
    }

    /**
     * The pool builder with one change: sockets from the given factory. The library's builder offers no setter
     * for it; {@link #createConnectionOperator} is its extension point, and the operator it returns is the
     * library's own, given the same port resolver, DNS resolver and TLS strategy the builder would give it.
     */
    private static final class SocketFactoryBuilder extends PoolingHttpClientConnectionManagerBuilder {
        private final DetachedSocketFactory sockets;

        SocketFactoryBuilder(DetachedSocketFactory sockets) {
            this.sockets = sockets;
        }

        @Override
        protected HttpClientConnectionOperator createConnectionOperator(SchemePortResolver schemePortResolver,
                                                                        DnsResolver dnsResolver,
                                                                        TlsSocketStrategy tlsSocketStrategy) {
            return new DefaultHttpClientConnectionOperator(sockets, schemePortResolver, dnsResolver,
                    RegistryBuilder.<TlsSocketStrategy>create().register(URIScheme.HTTPS.id, tlsSocketStrategy).build());
        }
    }
}
