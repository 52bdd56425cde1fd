package org.wagateway.webhook;

import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.regex.Pattern;
import org.wagateway.provider.Provider;

/**
 * Which webhook a request is for: the one place that decides it, for the webhooks' security chain and their
 * front door ({@link WebhookRequestFilter}) alike.
 *
 * <p>Routing matches the decoded path (percent-escapes decoded, {@code ;parameters} dropped), so a test on the
 * raw path alone would let {@code /%77ebhooks/kazinfoteh} past every check and still reach the route. The path is
 * therefore decoded and normalised here as generously as any part of the server might (escapes, {@code ;}
 * parameters, backslashes, repeated slashes, dot segments, letter case). Whatever lands under {@code /webhooks}
 * that way is webhook ground; of it only the plain spelling {@code /webhooks/<name>} (lower-case letters,
 * digits, dashes) is served, every other spelling is {@link Kind#MISSPELT} and refused whole.
 */
public record WebhookPath(Kind kind, String provider) {

    public enum Kind {
        /** Not under {@code /webhooks} in any spelling. */
        OTHER,
        /** {@code /webhooks/<provider>}, spelt plainly. */
        WEBHOOK,
        /** Under {@code /webhooks} once decoded and normalised, but not spelt plainly. */
        MISSPELT
    }

    public static final String PREFIX = "/webhooks/";

    private static final Pattern PLAIN = Pattern.compile("/webhooks/[a-z0-9][a-z0-9-]*");
    private static final WebhookPath OTHER = new WebhookPath(Kind.OTHER, null);
    private static final WebhookPath MISSPELT = new WebhookPath(Kind.MISSPELT, null);

    /** The request's path as sent (before any decoding), without the context path. */
    public static WebhookPath of(HttpServletRequest request) {
        String uri = request.getRequestURI();
        // decided once per request and URI: the security chain's matcher and the front door both ask, and a
        // forward or error dispatch to another URI is decided anew
        if (request.getAttribute(DECIDED) instanceof Decided decided && decided.uri().equals(uri)) {
            return decided.path();
        }
        String context = request.getContextPath();
        WebhookPath path = of(context != null && !context.isEmpty() && uri.startsWith(context)
                ? uri.substring(context.length()) : uri);
        request.setAttribute(DECIDED, new Decided(uri, path));
        return path;
    }

    private static final String DECIDED = WebhookPath.class.getName();

    private record Decided(String uri, WebhookPath path) {
    }

    public static WebhookPath of(String rawPath) {
        if (rawPath == null) {
            return OTHER;
        }
        if (PLAIN.matcher(rawPath).matches()) {
            return new WebhookPath(Kind.WEBHOOK, rawPath.substring(PREFIX.length()));
        }
        return underWebhooks(rawPath) ? MISSPELT : OTHER;
    }

    /** For Spring Security's chain matcher: any spelling on webhook ground. */
    public static boolean matches(HttpServletRequest request) {
        return of(request).kind != Kind.OTHER;
    }

    public boolean isMisspelt() {
        return kind == Kind.MISSPELT;
    }

    /** The provider as a metrics tag: a known name, else {@code unknown}, so callers cannot mint new series. */
    public String metricsTag() {
        return Provider.named(provider).map(Provider::id).orElse("unknown");
    }

    /** Whether the first segment, after every decoding and normalisation, reads {@code webhooks} in any case. */
    static boolean underWebhooks(String rawPath) {
        Deque<String> segments = segments(decode(withoutParameters(rawPath.replace('\\', '/'))));
        return !segments.isEmpty() && segments.getFirst().equalsIgnoreCase("webhooks");
    }

    private static Deque<String> segments(String path) {
        Deque<String> segments = new ArrayDeque<>();
        for (String segment : withoutParameters(path.replace('\\', '/')).split("/")) {
            String bare = segment.replaceAll("[\\x00-\\x20\\x7f]", "");
            if (bare.isEmpty() || bare.equals(".")) {
                continue;
            }
            if (bare.equals("..")) {
                segments.pollLast();
            } else {
                segments.addLast(bare);
            }
        }
        return segments;
    }

    /** Each segment without its {@code ;parameters}. */
    private static String withoutParameters(String path) {
        if (path.indexOf(';') < 0) {
            return path;
        }
        StringBuilder out = new StringBuilder(path.length());
        boolean inParameters = false;
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '/') {
                inParameters = false;
            } else if (c == ';') {
                inParameters = true;
            }
            if (!inParameters) {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Percent-escapes decoded as UTF-8; a broken escape stays as it is (the server refuses those itself). */
    private static String decode(String path) {
        if (path.indexOf('%') < 0) {
            return path;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(path.length());
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            int high = c == '%' && i + 2 < path.length() ? Character.digit(path.charAt(i + 1), 16) : -1;
            int low = high >= 0 ? Character.digit(path.charAt(i + 2), 16) : -1;
            if (low >= 0) {
                bytes.write(high * 16 + low);
                i += 2;
            } else {
                byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(encoded, 0, encoded.length);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
