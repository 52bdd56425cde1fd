package org.wagateway.webhook;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.camel.component.platform.http.springboot.SpringBootPlatformHttpConsumer;
import org.springframework.core.MethodParameter;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodReturnValueHandler;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * Spring MVC's handling of what a platform-http consumer returns: a future, which on the webhooks' engine
 * ({@link WebhookEngineConfiguration}: the route runs on the request's own thread) is already complete, its answer
 * written. Spring's own handler of futures would still start async processing and dispatch the request a second
 * time through the container, the filter chain and the dispatcher servlet, only to find it answered: about a
 * fifth of a webhook's CPU. A complete future is taken as it is; one still running goes to Spring's handler.
 */
final class AnsweredWebhookFutures implements HandlerMethodReturnValueHandler {

    private final HandlerMethodReturnValueHandler running;

    AnsweredWebhookFutures(HandlerMethodReturnValueHandler running) {
        this.running = running;
    }

    @Override
    public boolean supportsReturnType(MethodParameter returnType) {
        return SpringBootPlatformHttpConsumer.class.isAssignableFrom(returnType.getContainingClass())
                && CompletableFuture.class.isAssignableFrom(returnType.getParameterType());
    }

    @Override
    public void handleReturnValue(Object returnValue, MethodParameter returnType,
                                  ModelAndViewContainer mavContainer, NativeWebRequest webRequest) throws Exception {
        if (returnValue instanceof CompletableFuture<?> future && future.isDone()) {
            try {
                future.join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof Exception cause) {
                    throw cause;
                }
                throw e;
            }
            mavContainer.setRequestHandled(true);
            return;
        }
        running.handleReturnValue(returnValue, returnType, mavContainer, webRequest);
    }
}
