package org.wagateway.webhook;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a request's body without holding a thread while the caller sends it (Servlet non-blocking read): a
 * client sending a byte every few seconds costs a connection, not one of the server's request threads. The
 * whole read has one deadline (the async timeout), however the bytes trickle in; past it the caller gets 408.
 *
 * <p>It either keeps the body (up to a limit) and hands it to a {@link Handler}, or only drains it: a refused
 * request's body is read and dropped after its answer is sent, so that the caller gets to read the answer and
 * the server never reads it on a blocking thread (which is what Tomcat does with an unread body otherwise).
 */
final class AsyncBodyReader implements ReadListener, AsyncListener {

    /** What to do with a body once read. Exactly one of {@link #dispatch}, {@link #finish} must follow. */
    interface Handler {
        /** The body, whole (to its end) or cut at the limit. */
        void read(AsyncBodyReader reader, byte[] body, boolean whole) throws IOException;
    }

    private enum State { READING, HANDLING, DRAINING, DONE }

    private static final Logger LOG = LoggerFactory.getLogger(AsyncBodyReader.class);

    private final AsyncContext async;
    private final ServletInputStream in;
    private final Handler handler;
    private final int limit;
    private final ByteArrayOutputStream kept;
    private final byte[] buffer = new byte[8192];
    private final TimeoutAnswer timeoutAnswer;
    private State state;
    private long drainLeft;
    private boolean ended;

    /** Called when the deadline passes before the body is in: the answer to write. */
    interface TimeoutAnswer {
        void write(HttpServletResponse response) throws IOException;
    }

    private AsyncBodyReader(HttpServletRequest request, Duration deadline, State state, byte[] prefix, int limit,
                            long drainLeft, Handler handler, TimeoutAnswer timeoutAnswer) throws IOException {
        this.async = request.startAsync();
        this.async.setTimeout(Math.max(1, deadline.toMillis()));
        this.in = request.getInputStream();
        this.state = state;
        this.limit = limit;
        this.drainLeft = drainLeft;
        this.handler = handler;
        this.timeoutAnswer = timeoutAnswer;
        this.kept = state == State.READING ? new ByteArrayOutputStream(Math.min(limit, 8192)) : null;
        if (kept != null) {
            kept.write(prefix, 0, Math.min(prefix.length, limit));
        }
    }

    /**
     * Reads the rest of the body, after the {@code prefix} already read, up to {@code limit} bytes in all, then
     * calls the handler; past the deadline {@code onTimeout} answers instead.
     */
    static void read(HttpServletRequest request, byte[] prefix, int limit, Duration deadline, Handler handler,
                     TimeoutAnswer onTimeout) throws IOException {
        new AsyncBodyReader(request, deadline, State.READING, prefix, limit, 0, handler, onTimeout).listen();
    }

    /** Reads and drops up to {@code cap} bytes of the body (the answer is already sent), then closes. */
    static void drain(HttpServletRequest request, long cap, Duration deadline) throws IOException {
        new AsyncBodyReader(request, deadline, State.DRAINING, new byte[0], 0, cap, null, null).listen();
    }

    private void listen() {
        async.addListener(this);
        in.setReadListener(this);
    }

    HttpServletRequest request() {
        return (HttpServletRequest) async.getRequest();
    }

    HttpServletResponse response() {
        return (HttpServletResponse) async.getResponse();
    }

    /** Hands the request, body read, on to the rest of the filter chain and the route (an async dispatch). */
    synchronized void dispatch() {
        state = State.DONE;
        async.dispatch();
    }

    /** The answer is written: ends the exchange, once what is left of the body (up to {@code cap}) is drained. */
    synchronized void finish(long cap) {
        if (ended || cap <= 0) {
            complete();
        } else {
            state = State.DRAINING;
            drainLeft = cap;
        }
    }

    @Override
    public synchronized void onDataAvailable() throws IOException {
        while (state != State.DONE && state != State.HANDLING && in.isReady()) {
            int n = in.read(buffer);
            if (n == -1) {
                onAllDataRead();
                return;
            }
            if (state == State.READING) {
                kept.write(buffer, 0, Math.min(n, limit - kept.size()));
                if (kept.size() >= limit) {
                    handle(false);
                }
            } else if (state == State.DRAINING) {
                drainLeft -= n;
                if (drainLeft <= 0) {
                    complete();
                }
            }
        }
    }

    @Override
    public synchronized void onAllDataRead() throws IOException {
        ended = true;
        if (state == State.READING) {
            handle(true);
        } else if (state == State.DRAINING) {
            complete();
        }
    }

    private void handle(boolean whole) throws IOException {
        state = State.HANDLING;
        handler.read(this, kept.toByteArray(), whole);
    }

    @Override
    public synchronized void onTimeout(AsyncEvent event) throws IOException {
        if (state == State.READING) {
            state = State.DONE;
            HttpServletResponse response = response();
            response.setHeader("Connection", "close");
            timeoutAnswer.write(response);
            async.complete();
        } else if (state == State.DRAINING || state == State.HANDLING) {
            complete();
        }
    }

    @Override
    public synchronized void onError(Throwable failure) {
        // the caller went away or the socket failed: nobody is left to answer
        LOG.debug("Reading a webhook body failed: {}", failure.toString());
        complete();
    }

    @Override
    public void onError(AsyncEvent event) {
        onError(event.getThrowable());
    }

    @Override
    public void onComplete(AsyncEvent event) {
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
    }

    private void complete() {
        if (state != State.DONE) {
            state = State.DONE;
            try {
                async.complete();
            } catch (IllegalStateException e) {
                LOG.debug("Request already completed: {}", e.getMessage());
            }
        }
    }
}
