package org.wagateway.webhook;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The one writer of a refusal's body, for every refusal of the gateway's HTTP side (front door, webhook routes,
 * firewall, the HTTP server itself): {@code {"status":"rejected","error":"<code>","message":"..."}}.
 */
public final class RejectionJson {

    public static final String CONTENT_TYPE = "application/json";

    private RejectionJson() {
    }

    public static byte[] of(String error, String message) {
        return text(error, message).getBytes(StandardCharsets.UTF_8);
    }

    public static String text(String error, String message) {
        return "{\"status\":\"rejected\",\"error\":\"" + escape(error) + "\",\"message\":\"" + escape(message) + "\"}";
    }

    /** Answers the refusal on a servlet response. */
    public static void write(HttpServletResponse response, int status, String error, String message)
            throws IOException {
        byte[] json = of(error, message);
        response.setStatus(status);
        response.setContentType(CONTENT_TYPE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setContentLength(json.length);
        response.getOutputStream().write(json);
    }

    private static String escape(String text) {
        return new String(JsonStringEncoder.getInstance().quoteAsString(text));
    }
}
