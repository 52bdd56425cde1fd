package org.wagateway.media;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * A JDK HTTP(S) server on 127.0.0.1, port 0, that counts requests per path and remembers Host and Authorization
 * headers.
 */
final class LoopbackServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "loopback-server");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, HttpHandler> handlers = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    private final AtomicInteger total = new AtomicInteger();
    private final List<String> hostHeaders = new CopyOnWriteArrayList<>();
    private final Map<String, List<String>> authorizations = new ConcurrentHashMap<>();
    /** Released on close, so stalling handlers end with the test. */
    final CountDownLatch closing = new CountDownLatch(1);

    private LoopbackServer(HttpServer server) {
        this.server = server;
        server.setExecutor(executor);
        server.createContext("/", this::dispatch);
        server.start();
    }

    static LoopbackServer start() throws IOException {
        return new LoopbackServer(HttpServer.create(loopback(), 0));
    }

    static LoopbackServer startTls(SSLContext context) throws IOException {
        HttpsServer server = HttpsServer.create(loopback(), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(context));
        return new LoopbackServer(server);
    }

    private static InetSocketAddress loopback() throws IOException {
        return new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0);
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** Answers {@code path} with a fixed body and Content-Length. */
    LoopbackServer serve(String path, int status, String contentType, byte[] body) {
        return handle(path, exchange -> respond(exchange, status, contentType, body));
    }

    LoopbackServer handle(String path, HttpHandler handler) {
        handlers.put(path, handler);
        return this;
    }

    int hits(String path) {
        AtomicInteger count = hits.get(path);
        return count == null ? 0 : count.get();
    }

    int totalHits() {
        return total.get();
    }

    List<String> hostHeaders() {
        return hostHeaders;
    }

    /** The Authorization header of each request to {@code path}, in order; "(none)" for a request without. */
    List<String> authorizations(String path) {
        return authorizations.getOrDefault(path, List.of());
    }

    static void respond(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        if (contentType != null) {
            exchange.getResponseHeaders().set("Content-Type", contentType);
        }
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private void dispatch(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        total.incrementAndGet();
        hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        hostHeaders.add(exchange.getRequestHeaders().getFirst("Host"));
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        authorizations.computeIfAbsent(path, p -> new CopyOnWriteArrayList<>())
                .add(authorization == null ? "(none)" : authorization);
        HttpHandler handler = handlers.get(path);
        try {
            if (handler == null) {
                respond(exchange, 404, "text/plain", "no such file".getBytes());
            } else {
                handler.handle(exchange);
            }
        } finally {
            exchange.close();
        }
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
