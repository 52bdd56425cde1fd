package org.wagateway.deadletter;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * The {@code /admin/**} API's refusals, in the gateway's JSON error body: a parameter that is not a number, a
 * body that is not the JSON asked for, are 400 {@code bad_parameter} instead of Spring's own error page.
 */
@RestControllerAdvice(basePackages = {"org.wagateway.deadletter", "org.wagateway.console"})
public class AdminRejections {

    /** {@code {"status":"rejected","error":...,"message":...}} with this status. */
    public static ResponseEntity<Map<String, Object>> rejected(HttpStatus status, String error, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "rejected");
        body.put("error", error);
        body.put("message", message);
        return ResponseEntity.status(status).body(body);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<Map<String, Object>> typeMismatch(MethodArgumentTypeMismatchException e) {
        return rejected(HttpStatus.BAD_REQUEST, "bad_parameter", "Parameter '" + e.getName() + "' must be a number");
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<Map<String, Object>> missing(MissingServletRequestParameterException e) {
        return rejected(HttpStatus.BAD_REQUEST, "bad_parameter", "Parameter '" + e.getParameterName() + "' is missing");
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<Map<String, Object>> unreadable(HttpMessageNotReadableException e) {
        return rejected(HttpStatus.BAD_REQUEST, "bad_body", "The body must be JSON: {\"ids\":[\"<JMS message id>\", ...]}");
    }
}
