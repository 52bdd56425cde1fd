package org.wagateway.inprocess;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingRequestWrapper;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * Test hook: every answer on Jolokia's two paths, counted as the browser got it, before Spring Security (a CSRF
 * refusal is a 403 of the HTTP answer) and inside the JSON (Jolokia answers a refused command of a bulk POST
 * with HTTP 200 and {@code "status": 403} for that command).
 */
@TestConfiguration(proxyBeanMethods = false)
public class JolokiaAnswers {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final AtomicInteger answers = new AtomicInteger();
    private final List<String> refused = new CopyOnWriteArrayList<>();

    /** Answers seen so far (HTTP answers; a bulk answer counts once). */
    public int answers() {
        return answers.get();
    }

    /** Each refused answer or refused command: its status, what was asked, and Jolokia's error. */
    public List<String> refused() {
        return List.copyOf(refused);
    }

    public void clear() {
        answers.set(0);
        refused.clear();
    }

    @Bean
    FilterRegistrationBean<OncePerRequestFilter> jolokiaAnswersFilter() {
        FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                ContentCachingRequestWrapper cachedRequest = new ContentCachingRequestWrapper(request);
                ContentCachingResponseWrapper cached = new ContentCachingResponseWrapper(response);
                try {
                    chain.doFilter(cachedRequest, cached);
                } finally {
                    record(request, cachedRequest, cached);
                    cached.copyBodyToResponse();
                }
            }
        });
        registration.addUrlPatterns("/actuator/jolokia/*", "/actuator/hawtio/jolokia/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    private void record(HttpServletRequest request, ContentCachingRequestWrapper cachedRequest,
                        ContentCachingResponseWrapper response) {
        answers.incrementAndGet();
        String asked = request.getMethod() + " " + request.getRequestURI() + " "
                + new String(cachedRequest.getContentAsByteArray(), StandardCharsets.UTF_8);
        String body = new String(response.getContentAsByteArray(), StandardCharsets.UTF_8);
        if (response.getStatus() >= 400) {
            refused.add(response.getStatus() + " " + asked + " -> " + body);
            return;
        }
        try {
            JsonNode answer = JSON.readTree(body);
            for (JsonNode item : answer.isArray() ? answer : List.of(answer)) {
                if (item.path("status").asInt(200) >= 400) {
                    refused.add(item.path("status").asInt() + " " + item.path("request") + " -> "
                            + item.path("error").asText());
                }
            }
        } catch (IOException notJson) {
            refused.add("not JSON: " + asked + " -> " + body);
        }
    }
}
