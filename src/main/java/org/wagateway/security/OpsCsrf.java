package org.wagateway.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.function.Supplier;
import org.springframework.http.HttpHeaders;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;
import org.springframework.security.web.csrf.CsrfTokenRequestHandler;
import org.springframework.security.web.csrf.XorCsrfTokenRequestAttributeHandler;
import org.springframework.util.StringUtils;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * CSRF protection of the ops endpoints as a browser and a script each need it. A person logged in on the form
 * holds a session cookie, which a page of another site could make the browser send: every state-changing request
 * of such a session carries the token, which Hawtio reads from the {@code XSRF-TOKEN} cookie and sends back as
 * {@code X-XSRF-TOKEN} (Spring Security's pattern for single-page applications). A script (curl, Prometheus,
 * the replay API's callers) sends its credentials in {@code Authorization} itself, which no other site's page can
 * add; the one exception, a browser that cached Basic credentials, marks a request from another site with
 * {@code Sec-Fetch-Site: cross-site} or {@code same-site}, and such a request still needs the token.
 */
final class OpsCsrf {

    private OpsCsrf() {
    }

    static boolean carriesItsOwnCredentials(HttpServletRequest request) {
        if (request.getHeader(HttpHeaders.AUTHORIZATION) == null) {
            return false;
        }
        String site = request.getHeader("Sec-Fetch-Site");
        return site == null || site.equals("same-origin") || site.equals("none");
    }

    /**
     * The token as a header holds the cookie's plain value (what Hawtio sends); in a form field (the login page)
     * it is the masked value the page was rendered with.
     */
    static final class TokenRequestHandler implements CsrfTokenRequestHandler {
        private final CsrfTokenRequestHandler plain = new CsrfTokenRequestAttributeHandler();
        private final CsrfTokenRequestHandler masked = new XorCsrfTokenRequestAttributeHandler();

        @Override
        public void handle(HttpServletRequest request, HttpServletResponse response, Supplier<CsrfToken> token) {
            masked.handle(request, response, token);
        }

        @Override
        public String resolveCsrfTokenValue(HttpServletRequest request, CsrfToken token) {
            return StringUtils.hasText(request.getHeader(token.getHeaderName()))
                    ? plain.resolveCsrfTokenValue(request, token)
                    : masked.resolveCsrfTokenValue(request, token);
        }
    }

    /** Loads the (lazily made) token on each browser request, so that its cookie is there before Hawtio's POSTs. */
    static final class CookieFilter extends OncePerRequestFilter {
        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            if (!carriesItsOwnCredentials(request)) {
                CsrfToken token = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
                if (token != null) {
                    token.getToken();
                }
            }
            chain.doFilter(request, response);
        }
    }
}
