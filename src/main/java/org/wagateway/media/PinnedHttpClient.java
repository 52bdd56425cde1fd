package org.wagateway.media;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A deliberately small HTTP/1.1 client for one GET to an address that was already checked
 * ({@link UrlGuard.Target}): it opens the TCP connection to that {@link InetAddress} itself, so no second DNS
 * lookup can swap the address (DNS rebinding). The host name is used only for the {@code Host} header, TLS SNI
 * and the certificate's host name check (endpoint identification "HTTPS", the JDK's trust store by default).
 *
 * <p>One request per connection ({@code Connection: close}), no redirects (the caller follows them), no proxy,
 * {@code Accept-Encoding: identity} (a gzip answer is decoded anyway). Bodies framed by chunked encoding,
 * Content-Length or the end of the connection; a body cut short is an {@link EOFException}. Answers that break
 * the protocol (oversized or malformed head, unknown transfer coding) are a {@link ProtocolViolation}, which is
 * not worth retrying.
 */
final class PinnedHttpClient {

    static final String USER_AGENT = "whatsapp-gateway-media/1";
    private static final int MAX_LINE = 8 * 1024;
    private static final int MAX_HEAD = 64 * 1024;
    private static final int MAX_HEADERS = 100;
    private static final int MAX_ADDRESSES_TRIED = 3;

    private final SSLSocketFactory tls;
    private final Connector connector;

    PinnedHttpClient(SSLSocketFactory tls) {
        this(tls, Connector.DIRECT);
    }

    PinnedHttpClient(SSLSocketFactory tls, Connector connector) {
        this.tls = tls;
        this.connector = connector;
    }

    /** Opens the TCP connection to one checked address (replaceable so tests can watch every connection). */
    @FunctionalInterface
    interface Connector {
        /** A direct connection, never through a proxy. */
        Connector DIRECT = (address, timeoutMs) -> {
            Socket socket = new Socket(Proxy.NO_PROXY);
            try {
                socket.connect(address, timeoutMs);
                return socket;
            } catch (IOException | RuntimeException e) {
                socket.close();
                throw e;
            }
        };

        Socket connect(InetSocketAddress address, int timeoutMs) throws IOException;
    }

    /** The server broke HTTP: retrying will not help. */
    static final class ProtocolViolation extends IOException {
        ProtocolViolation(String message) {
            super(message);
        }
    }

    /** An answer whose body is still on the wire; closing it closes the connection. */
    static final class Response implements Closeable {
        private final int status;
        private final Map<String, List<String>> headers;
        private final InputStream body;
        private final long contentLength;
        private final Socket socket;

        Response(int status, Map<String, List<String>> headers, InputStream body, long contentLength, Socket socket) {
            this.status = status;
            this.headers = headers;
            this.body = body;
            this.contentLength = contentLength;
            this.socket = socket;
        }

        int status() { return status; }

        /** The first value of a header (name case-insensitive), or null. */
        String header(String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        /** The decoded body. */
        InputStream body() { return body; }

        /** Bytes the body will have, when the answer says so and is not content-encoded; else -1. */
        long contentLength() { return contentLength; }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /**
     * Connects to the target's checked addresses in turn (at most three, until one accepts), sends the GET and
     * reads the answer's head.
     */
    Response get(UrlGuard.Target target, int connectTimeoutMs, int readTimeoutMs) throws IOException {
        IOException lastConnectFailure = null;
        int tried = 0;
        for (InetAddress address : target.addresses()) {
            if (tried++ == MAX_ADDRESSES_TRIED) {
                break;
            }
            Socket socket;
            try {
                socket = connector.connect(new InetSocketAddress(address, target.port()), connectTimeoutMs);
            } catch (IOException e) {
                lastConnectFailure = e;
                continue;
            }
            try {
                socket.setSoTimeout(readTimeoutMs);
                socket.setTcpNoDelay(true);
                Socket channel = target.https() ? startTls(socket, target) : socket;
                return exchange(channel, target);
            } catch (IOException | RuntimeException e) {
                socket.close();
                throw e;
            }
        }
        throw lastConnectFailure != null ? lastConnectFailure : new IOException("no address to connect to");
    }

    private SSLSocket startTls(Socket socket, UrlGuard.Target target) throws IOException {
        SSLSocket ssl = (SSLSocket) tls.createSocket(socket, target.host(), target.port(), true);
        SSLParameters parameters = ssl.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        if (!isIpLiteral(target.host())) {
            parameters.setServerNames(List.of(new SNIHostName(target.host())));
        }
        ssl.setSSLParameters(parameters);
        ssl.startHandshake();
        return ssl;
    }

    private static boolean isIpLiteral(String host) {
        return host.indexOf(':') >= 0 || host.matches("[0-9.]+");
    }

    private Response exchange(Socket socket, UrlGuard.Target target) throws IOException {
        String request = "GET " + target.requestTarget() + " HTTP/1.1\r\n"
                + "Host: " + target.hostHeader() + "\r\n"
                + "User-Agent: " + USER_AGENT + "\r\n"
                + "Accept: */*\r\n"
                + "Accept-Encoding: identity\r\n"
                + "Connection: close\r\n"
                + "\r\n";
        OutputStream out = socket.getOutputStream();
        out.write(request.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();

        InputStream in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        int status;
        Map<String, List<String>> headers;
        do {
            status = readStatusLine(in);
            headers = readHeaders(in);
        } while (status >= 100 && status < 200);

        InputStream body;
        long length = -1;
        String transferEncoding = join(headers.get("Transfer-Encoding"));
        List<String> contentLengths = headers.get("Content-Length");
        if (status == 204 || status == 304) {
            body = InputStream.nullInputStream();
            length = 0;
        } else if (transferEncoding != null) {
            if (!transferEncoding.trim().equalsIgnoreCase("chunked")) {
                throw new ProtocolViolation("unsupported transfer-encoding " + transferEncoding);
            }
            body = new ChunkedInputStream(in);
        } else if (contentLengths != null) {
            length = parseContentLength(contentLengths);
            body = new FixedLengthInputStream(in, length);
        } else {
            body = in;
        }

        String contentEncoding = join(headers.get("Content-Encoding"));
        if (contentEncoding != null && !contentEncoding.isBlank()
                && !contentEncoding.trim().equalsIgnoreCase("identity")) {
            String coding = contentEncoding.trim().toLowerCase(Locale.ROOT);
            if (!coding.equals("gzip") && !coding.equals("x-gzip")) {
                throw new ProtocolViolation("unsupported content-encoding " + coding);
            }
            if (status >= 200 && status < 300) {
                body = new GZIPInputStream(body, 8 * 1024);
            }
            length = -1;
        }
        return new Response(status, headers, body, length, socket);
    }

    private static int readStatusLine(InputStream in) throws IOException {
        String line = readLine(in);
        if (line == null) {
            throw new EOFException("the server closed the connection without an answer");
        }
        // HTTP/1.1 200 OK
        if (!line.startsWith("HTTP/1.") || line.length() < 12 || line.charAt(8) != ' ') {
            throw new ProtocolViolation("not an HTTP/1.x status line");
        }
        String code = line.substring(9, 12);
        if (!code.chars().allMatch(Character::isDigit) || (line.length() > 12 && line.charAt(12) != ' ')) {
            throw new ProtocolViolation("malformed status line");
        }
        return Integer.parseInt(code);
    }

    private static Map<String, List<String>> readHeaders(InputStream in) throws IOException {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        int total = 0;
        int count = 0;
        while (true) {
            String line = readLine(in);
            if (line == null) {
                throw new EOFException("the answer's headers end early");
            }
            if (line.isEmpty()) {
                return headers;
            }
            total += line.length();
            if (++count > MAX_HEADERS || total > MAX_HEAD) {
                throw new ProtocolViolation("the answer's headers are too large");
            }
            if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                throw new ProtocolViolation("folded header lines are not accepted");
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new ProtocolViolation("malformed header line");
            }
            String name = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            headers.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
    }

    /** A line of the head without its CRLF (or LF), as ISO-8859-1; null at end of stream before any byte. */
    static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
            }
            if (line.size() >= MAX_LINE) {
                throw new ProtocolViolation("a line of the answer's head is too long");
            }
            line.write(b);
        }
        if (line.size() == 0) {
            return null;
        }
        throw new EOFException("the answer's head ends in the middle of a line");
    }

    private static long parseContentLength(List<String> values) throws ProtocolViolation {
        long length = -1;
        for (String value : values) {
            for (String part : value.split(",")) {
                String digits = part.trim();
                if (digits.isEmpty() || digits.length() > 18 || !digits.chars().allMatch(Character::isDigit)) {
                    throw new ProtocolViolation("malformed Content-Length");
                }
                long parsed = Long.parseLong(digits);
                if (length != -1 && parsed != length) {
                    throw new ProtocolViolation("conflicting Content-Length values");
                }
                length = parsed;
            }
        }
        return length;
    }

    private static String join(List<String> values) {
        return values == null ? null : String.join(",", values);
    }

    /** Exactly {@code remaining} bytes; ending earlier is an {@link EOFException}. */
    static final class FixedLengthInputStream extends FilterInputStream {
        private long remaining;

        FixedLengthInputStream(InputStream in, long length) {
            super(in);
            this.remaining = length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = in.read(buffer, offset, (int) Math.min(length, remaining));
            if (n == -1) {
                throw new EOFException("the body ends " + remaining + " bytes short of its Content-Length");
            }
            remaining -= n;
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            return super.skip(Math.min(n, remaining));
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(super.available(), remaining);
        }
    }

    /** Decodes {@code Transfer-Encoding: chunked}; trailers are read and dropped. */
    static final class ChunkedInputStream extends FilterInputStream {
        private long chunkRemaining;
        private boolean done;

        ChunkedInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (done) {
                return -1;
            }
            if (chunkRemaining == 0) {
                chunkRemaining = nextChunkSize();
                if (chunkRemaining == 0) {
                    while (true) { // trailers, up to the empty line
                        String trailer = readLine(in);
                        if (trailer == null) {
                            throw new EOFException("the chunked body ends without its last line");
                        }
                        if (trailer.isEmpty()) {
                            break;
                        }
                    }
                    done = true;
                    return -1;
                }
            }
            int n = in.read(buffer, offset, (int) Math.min(length, chunkRemaining));
            if (n == -1) {
                throw new EOFException("the chunked body ends in the middle of a chunk");
            }
            chunkRemaining -= n;
            if (chunkRemaining == 0) {
                expectLineEnd();
            }
            return n;
        }

        /** The CRLF (or LF) after a chunk's data; read without allocating, as bodies come in many chunks. */
        private void expectLineEnd() throws IOException {
            int b = in.read();
            if (b == '\r') {
                b = in.read();
            }
            if (b != '\n') {
                throw b == -1 ? new EOFException("the chunked body ends after a chunk")
                        : new ProtocolViolation("a chunk does not end with CRLF");
            }
        }

        /** {@code 1a2f;extension=value CRLF}: parsed byte by byte, extensions skipped, nothing allocated. */
        private long nextChunkSize() throws IOException {
            long size = 0;
            int digits = 0;
            boolean digitsEnded = false;
            boolean inExtension = false;
            int skipped = 0;
            while (true) {
                int b = in.read();
                if (b == -1) {
                    throw new EOFException("the chunked body ends before its last chunk");
                }
                if (b == '\r') {
                    b = in.read();
                    if (b != '\n') {
                        throw new ProtocolViolation("malformed chunk size line");
                    }
                }
                if (b == '\n') {
                    break;
                }
                if (inExtension) {
                    if (++skipped > MAX_LINE) {
                        throw new ProtocolViolation("a chunk extension is too long");
                    }
                } else if (b == ';') {
                    inExtension = true;
                } else if (b == ' ' || b == '\t') {
                    digitsEnded = digits > 0;
                } else {
                    int digit = Character.digit(b, 16);
                    if (digit < 0 || digitsEnded || ++digits > 15) {
                        throw new ProtocolViolation("malformed chunk size");
                    }
                    size = size * 16 + digit;
                }
            }
            if (digits == 0) {
                throw new ProtocolViolation("malformed chunk size");
            }
            return size;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] buffer = new byte[(int) Math.min(n, 8192)];
            long skipped = 0;
            while (skipped < n) {
                int r = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
                if (r == -1) {
                    break;
                }
                skipped += r;
            }
            return skipped;
        }

        @Override
        public int available() {
            return 0;
        }
    }
}
