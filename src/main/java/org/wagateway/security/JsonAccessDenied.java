package org.wagateway.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.csrf.CsrfException;

/** 403 with the gateway's JSON error body: the role is missing, or a browser's request lacks its CSRF token. */
final class JsonAccessDenied implements AccessDeniedHandler {

    private final ObjectMapper json;

    JsonAccessDenied(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
            throws IOException {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("status", "rejected");
        if (denied instanceof CsrfException) {
            body.put("error", "csrf_token_invalid");
            body.put("message", "A session's POST needs the X-XSRF-TOKEN header (the XSRF-TOKEN cookie's value)");
        } else {
            body.put("error", "forbidden");
            body.put("message", "This ops account may not do this; it needs the admin account");
        }
        response.setStatus(HttpServletResponse.SC_FORBIDDEN);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        json.writeValue(response.getOutputStream(), body);
    }
}
