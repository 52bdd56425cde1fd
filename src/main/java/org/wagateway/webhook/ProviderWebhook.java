package org.wagateway.webhook;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Set;
import org.wagateway.provider.Provider;

/**
 * One provider's webhook as the front door ({@link WebhookRequestFilter}) sees it: what it checks of a request and
 * where the provider's calls may come from. Each provider's package has one, a Spring bean; the front door, the
 * authenticator and the source allow-list ask them and know no provider by name, so a provider is added by its
 * package (this bean, its properties, its mapper), its route file and its fixtures.
 *
 * <p>A request is checked in two steps: {@link #checkHeaders} before any of the body is read, and, for a provider
 * that signs its bodies, {@link #checkBody} over the bytes exactly as received, before anything of them is parsed,
 * kept or counted as accepted. Each check refuses with a {@link WebhookException}: 503 while the provider's secret
 * is unset, 401 (or 403) for a caller without the secret.
 */
public interface ProviderWebhook {

    /** The provider: its id is the path segment of {@code /webhooks/<id>}. */
    Provider provider();

    /** The keys this webhook needs and that are not set; each is named in a warning at start (never its value). */
    List<String> unsetKeys();

    /** Addresses or CIDR ranges the provider's calls may come from ({@code gateway.<id>.allowed-source-ips}). */
    List<String> allowedSourceIps();

    /** The HTTP methods served once {@link #checkHeaders} passed; any other is 405 with these as {@code Allow}. */
    default Set<String> methods() {
        return Set.of("POST");
    }

    /** Checks the request's head (headers, query) before its body is read. */
    void checkHeaders(HttpServletRequest request);

    /** Whether {@link #checkBody} authenticates the caller: until it passed, nothing of the request is kept. */
    default boolean authenticatesBody() {
        return false;
    }

    /** Checks the body as received (the raw bytes, before any charset conversion or parsing). */
    default void checkBody(HttpServletRequest request, byte[] body) {
    }
}
