package org.wagateway.inprocess;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;

/** A media host on loopback, standing in for the providers' file servers; it records every request. */
public final class MediaServer implements AutoCloseable {

    private final HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final Map<String, CountDownLatch> holds = new ConcurrentHashMap<>();

    public MediaServer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** Serves these bytes at this path with this Content-Type. */
    public MediaServer file(String path, String contentType, byte[] body) {
        server.createContext(path, exchange -> {
            requests.add(path);
            CountDownLatch hold = holds.get(path);
            if (hold != null) {
                await(hold);
            }
            answer(exchange, 200, contentType, body);
        });
        return this;
    }

    /** Answers this status with no file. */
    public MediaServer status(String path, int status) {
        server.createContext(path, exchange -> {
            requests.add(path);
            answer(exchange, status, "text/plain", ("status " + status).getBytes());
        });
        return this;
    }

    /** Holds answers on this path until {@link #release(String)}. */
    public MediaServer hold(String path) {
        holds.put(path, new CountDownLatch(1));
        return this;
    }

    public void release(String path) {
        holds.get(path).countDown();
    }

    public long requestsTo(String path) {
        return requests.stream().filter(path::equals).count();
    }

    @Override
    public void close() {
        holds.values().forEach(CountDownLatch::countDown);
        server.stop(0);
    }

    public static byte[] jpeg() {
        BufferedImage image = new BufferedImage(16, 9, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < 16; x++) {
            for (int y = 0; y < 9; y++) {
                image.setRGB(x, y, new Color(x * 15, y * 25, 90).getRGB());
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "jpg", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void answer(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
