package org.wagateway.security;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.MediaType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.InsufficientAuthenticationException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.csrf.CsrfException;
import org.wagateway.webhook.RejectionJson;

/**
 * 403 with the gateway's JSON error body: the role is missing, or a session's request lacks its CSRF token. A
 * request without any credentials that fails the CSRF check (which runs before authentication) is answered as
 * unauthenticated instead: 401 and the Basic challenge.
 */
final class JsonAccessDenied implements AccessDeniedHandler {

    private final AuthenticationEntryPoint challenge;

    JsonAccessDenied(AuthenticationEntryPoint challenge) {
        this.challenge = challenge;
    }

    private static boolean authenticated() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication != null && authentication.isAuthenticated()
                && !(authentication instanceof AnonymousAuthenticationToken);
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
            throws IOException, ServletException {
        if (denied instanceof CsrfException && !authenticated() && request.getHeader("Authorization") == null) {
            // no session and no credentials: the answer is "log in" (401), not a missing token
            challenge.commence(request, response, new InsufficientAuthenticationException("No credentials"));
            return;
        }
        byte[] body = denied instanceof CsrfException
                ? RejectionJson.of("csrf_token_invalid",
                        "A session's POST needs the X-XSRF-TOKEN header (the XSRF-TOKEN cookie's value)")
                : RejectionJson.of("forbidden", "This ops account may not do this; it needs the admin account");
        response.setStatus(HttpServletResponse.SC_FORBIDDEN);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
