package org.wagateway.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One keep-alive HTTP/1.1 connection to 127.0.0.1:port (the only address the load generator ever connects to);
 * reconnects after "Connection: close" or an error. Hand-rolled and blocking, so that the generator takes as
 * little as possible of the CPU it shares with the gateway.
 */
final class Conn implements Closeable {

    static final InetAddress LOOPBACK;

    static {
        try {
            LOOPBACK = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    record Resp(int status, byte[] body) {
    }

    final int port;
    Socket socket;
    InputStream in;
    OutputStream out;
    int used;

    Conn(int port) {
        this.port = port;
    }

    private void open() throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress(LOOPBACK, port), 5_000);
        s.setSoTimeout(30_000);
        socket = s;
        in = new BufferedInputStream(s.getInputStream(), 16 * 1024);
        out = new BufferedOutputStream(s.getOutputStream(), 16 * 1024);
        used = 0;
    }

    Resp get(String path) throws IOException {
        return get(path, "");
    }

    Resp get(String path, String extraHeaders) throws IOException {
        return exchange(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n" + extraHeaders + "\r\n")
                .getBytes(StandardCharsets.ISO_8859_1), new byte[0]);
    }

    Resp exchange(byte[] head, byte[] body) throws IOException {
        boolean reused = socket != null;
        try {
            return once(head, body);
        } catch (EOFException | SocketException e) {
            // A kept-alive connection the server had already closed: send again on a fresh one, once.
            close();
            if (!reused) {
                throw e;
            }
            return once(head, body);
        }
    }

    private Resp once(byte[] head, byte[] body) throws IOException {
        if (socket == null) {
            open();
        }
        out.write(head);
        out.write(body);
        out.flush();
        used++;
        Resp r = readResponse();
        return r;
    }

    private Resp readResponse() throws IOException {
        String statusLine = readLine();
        if (statusLine == null) {
            throw new EOFException("connection closed before the answer");
        }
        if (statusLine.length() < 12 || !statusLine.startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP answer: " + statusLine);
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        boolean close = statusLine.startsWith("HTTP/1.0");
        String line;
        while ((line = readLine()) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "connection" -> close = value.equalsIgnoreCase("close") || (close && !value.equalsIgnoreCase(
                        "keep-alive"));
                default -> {
                }
            }
        }
        if (line == null) {
            throw new EOFException("connection closed in the headers");
        }
        byte[] body;
        if (status / 100 == 1 || status == 204 || status == 304) {
            body = new byte[0];
        } else if (chunked) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            while (true) {
                String size = readLine();
                if (size == null) {
                    throw new EOFException("connection closed in a chunk");
                }
                int semi = size.indexOf(';');
                int n = Integer.parseInt((semi >= 0 ? size.substring(0, semi) : size).trim(), 16);
                if (n == 0) {
                    String trailer;
                    while ((trailer = readLine()) != null && !trailer.isEmpty()) {
                        // trailers are ignored
                    }
                    break;
                }
                buf.write(readN(n));
                readLine();
            }
            body = buf.toByteArray();
        } else if (length >= 0) {
            body = readN((int) length);
        } else {
            body = in.readAllBytes();
            close = true;
        }
        if (close) {
            close();
        }
        return new Resp(status, body);
    }

    private byte[] readN(int n) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length < n) {
            throw new EOFException("answer cut short");
        }
        return b;
    }

    private final StringBuilder lineBuf = new StringBuilder(128);

    /** A line without its CRLF, or null at the end of the stream. */
    private String readLine() throws IOException {
        lineBuf.setLength(0);
        while (true) {
            int c = in.read();
            if (c < 0) {
                return lineBuf.length() == 0 ? null : lineBuf.toString();
            }
            if (c == '\n') {
                int len = lineBuf.length();
                if (len > 0 && lineBuf.charAt(len - 1) == '\r') {
                    lineBuf.setLength(len - 1);
                }
                return lineBuf.toString();
            }
            lineBuf.append((char) c);
        }
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        socket = null;
        in = null;
        out = null;
    }
}
