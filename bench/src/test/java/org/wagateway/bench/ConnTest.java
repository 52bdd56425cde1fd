package org.wagateway.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The load generator's HTTP/1.1 client against the JDK's server on 127.0.0.1. */
class ConnTest {

    private HttpServer server;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(Conn.LOOPBACK, 0), 16);
        server.createContext("/fixed", x -> {
            byte[] body = x.getRequestBody().readAllBytes();
            byte[] answer = ("{\"status\":\"accepted\",\"id\":\"got-" + body.length + "\"}").getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(200, answer.length);
            try (OutputStream out = x.getResponseBody()) {
                out.write(answer);
            }
        });
        server.createContext("/chunked", x -> {
            x.sendResponseHeaders(503, 0); // length 0: chunked
            try (OutputStream out = x.getResponseBody()) {
                out.write("part one, ".getBytes(StandardCharsets.UTF_8));
                out.flush();
                out.write("part two".getBytes(StandardCharsets.UTF_8));
            }
        });
        server.createContext("/close", x -> {
            x.getResponseHeaders().add("Connection", "close");
            x.sendResponseHeaders(204, -1);
            x.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private int port() {
        return server.getAddress().getPort();
    }

    private static byte[] post(String path, int port, byte[] body) {
        return ("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void keepsTheConnectionAliveBetweenRequests() throws Exception {
        try (Conn c = new Conn(port())) {
            byte[] body = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
            Conn.Resp first = c.exchange(post("/fixed", port(), body), body);
            Socket socket = c.socket;
            Conn.Resp second = c.exchange(post("/fixed", port(), body), body);
            assertEquals(200, first.status());
            assertEquals("{\"status\":\"accepted\",\"id\":\"got-7\"}", new String(second.body(), StandardCharsets.UTF_8));
            assertSame(socket, c.socket, "one socket for both");
            assertEquals(2, c.used);
        }
    }

    @Test
    void readsAChunkedAnswer() throws Exception {
        try (Conn c = new Conn(port())) {
            Conn.Resp r = c.get("/chunked");
            assertEquals(503, r.status());
            assertEquals("part one, part two", new String(r.body(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void opensANewConnectionAfterConnectionClose() throws Exception {
        try (Conn c = new Conn(port())) {
            assertEquals(204, c.get("/close").status());
            assertNull(c.socket, "closed as the server asked");
            Conn.Resp r = c.get("/fixed");
            assertEquals(200, r.status());
            assertNotNull(c.socket);
        }
    }
}
