package org.wagateway.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.camel.component.platform.http.springboot.SpringBootPlatformHttpConsumer;
import org.junit.jupiter.api.Test;
import org.springframework.core.MethodParameter;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodReturnValueHandler;
import org.springframework.web.method.support.ModelAndViewContainer;

/** A platform-http consumer's future: taken as it is when complete, handed to Spring's async handling otherwise. */
class AnsweredWebhookFuturesTest {

    private final List<Object> handedOn = new ArrayList<>();
    private final AnsweredWebhookFutures handler = new AnsweredWebhookFutures(new HandlerMethodReturnValueHandler() {
        @Override
        public boolean supportsReturnType(MethodParameter returnType) {
            return true;
        }

        @Override
        public void handleReturnValue(Object value, MethodParameter type, ModelAndViewContainer mav,
                                      NativeWebRequest request) {
            handedOn.add(value);
        }
    });

    private static MethodParameter consumerService() throws NoSuchMethodException {
        return new MethodParameter(SpringBootPlatformHttpConsumer.class.getMethod("service",
                HttpServletRequest.class, HttpServletResponse.class), -1);
    }

    @Test
    void takesOnlyWhatAPlatformHttpConsumerReturns() throws Exception {
        assertThat(handler.supportsReturnType(consumerService())).isTrue();
        assertThat(handler.supportsReturnType(new MethodParameter(
                CompletableFuture.class.getMethod("completedFuture", Object.class), -1))).isFalse();
    }

    @Test
    void aCompleteFutureIsAnAnswerAlreadyWrittenWithoutAsyncProcessing() throws Exception {
        ModelAndViewContainer mav = new ModelAndViewContainer();

        handler.handleReturnValue(CompletableFuture.completedFuture(null), consumerService(), mav, null);

        assertThat(mav.isRequestHandled()).isTrue();
        assertThat(handedOn).isEmpty();
    }

    @Test
    void aFailedFutureThrowsItsCauseForSpringsExceptionHandling() throws Exception {
        IllegalStateException failure = new IllegalStateException("route failed");

        assertThatThrownBy(() -> handler.handleReturnValue(CompletableFuture.failedFuture(failure), consumerService(),
                new ModelAndViewContainer(), null)).isSameAs(failure);
    }

    @Test
    void aFutureStillRunningGoesToSpringsAsyncHandling() throws Exception {
        CompletableFuture<Void> running = new CompletableFuture<>();
        ModelAndViewContainer mav = new ModelAndViewContainer();

        handler.handleReturnValue(running, consumerService(), mav, null);

        assertThat(handedOn).containsExactly(running);
        assertThat(mav.isRequestHandled()).isFalse();
    }
}
