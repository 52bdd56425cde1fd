package org.wagateway.security;

import java.util.Set;
import org.springframework.http.MediaType;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.authentication.www.BasicAuthenticationEntryPoint;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/** How an unauthenticated ops request is answered: a person's browser gets the login form, a script 401. */
final class OpsEntryPoints {

    private OpsEntryPoints() {
    }

    /** A page a person navigates to (the browser asks for HTML), as opposed to a script's or a page's fetch. */
    static RequestMatcher pageNavigation() {
        MediaTypeRequestMatcher page = new MediaTypeRequestMatcher(MediaType.TEXT_HTML);
        page.setIgnoredMediaTypes(Set.of(MediaType.ALL));
        return page;
    }

    static AuthenticationEntryPoint basicChallenge() {
        BasicAuthenticationEntryPoint basic = new BasicAuthenticationEntryPoint();
        basic.setRealmName("whatsapp-gateway");
        basic.afterPropertiesSet();
        return basic;
    }
}
