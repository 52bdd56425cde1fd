package org.wagateway.webhook;

import java.nio.charset.StandardCharsets;

/**
 * The body of every refusal answered before a route runs (front door, firewall, the HTTP server itself), in the
 * routes' own shape: {@code {"status":"rejected","error":"<code>","message":"..."}}.
 */
public final class RejectionJson {

    private RejectionJson() {
    }

    public static byte[] of(String error, String message) {
        return ("{\"status\":\"rejected\",\"error\":\"" + escape(error) + "\",\"message\":\"" + escape(message) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
