package org.wagateway.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.http.HttpStatus;
import org.wagateway.webhook.RejectionJson;
import org.wagateway.webhook.WebhookGate;

/**
 * What Tomcat answers itself, for requests it refuses before the application sees them (a URL with an encoded
 * slash or a NUL, a malformed request line, headers too large): a JSON body like every other refusal instead
 * of Tomcat's HTML page. The error code is the status' name, e.g. {@code bad_request}.
 * <p>
 * While the gateway shuts down, a request Tomcat could not read (its connection closed under it) is answered
 * 503 {@code shutting_down}, as the webhooks are then: a 400 would tell the provider never to send it again.
 */
public class JsonErrorReportValve extends ErrorReportValve {

    private final BooleanSupplier shuttingDown;

    /** For Tomcat, which may build the valve by its class name: never shutting down. */
    public JsonErrorReportValve() {
        this(() -> false);
    }

    public JsonErrorReportValve(BooleanSupplier shuttingDown) {
        this.shuttingDown = shuttingDown;
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        // the same guards as Tomcat's own report: errors only, nothing written yet, reported once
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(false);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        byte[] json;
        if (status == 400 && shuttingDown.getAsBoolean()) {
            response.setStatus(503);
            response.setHeader("Connection", "close");
            json = RejectionJson.of(WebhookGate.SHUTTING_DOWN, WebhookGate.SHUTTING_DOWN_MESSAGE);
        } else {
            HttpStatus known = HttpStatus.resolve(status);
            String error = known == null ? "http_" + status : known.name().toLowerCase(Locale.ROOT);
            json = RejectionJson.of(error, "The HTTP server refused the request ("
                    + (known == null ? status : known.getReasonPhrase()) + "); nothing of it was processed");
        }
        try {
            response.setContentType("application/json");
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            response.setContentLength(json.length);
            response.getOutputStream().write(json);
            response.finishResponse();
        } catch (IOException | IllegalStateException e) {
            // the connection is gone or the answer already under way: nothing more to say
        }
    }
}
