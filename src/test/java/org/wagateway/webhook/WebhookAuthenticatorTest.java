package org.wagateway.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mock.web.MockHttpServletRequest;
import org.wagateway.provider.greenapi.GreenApiProperties;
import org.wagateway.provider.greenapi.GreenApiWebhook;
import org.wagateway.provider.kazinfoteh.KazinfotehProperties;
import org.wagateway.provider.kazinfoteh.KazinfotehWebhook;

@ExtendWith(OutputCaptureExtension.class)
class WebhookAuthenticatorTest {

    static WebhookAuthenticator authenticator(String apiKey, String token) {
        KazinfotehProperties kazinfoteh = new KazinfotehProperties();
        kazinfoteh.setApiKey(apiKey);
        GreenApiProperties greenapi = new GreenApiProperties();
        greenapi.setToken(token);
        return new WebhookAuthenticator(List.of(new KazinfotehWebhook(kazinfoteh), new GreenApiWebhook(greenapi)));
    }

    private static MockHttpServletRequest post(String header, String value) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/webhooks/x");
        if (value != null) {
            request.addHeader(header, value);
        }
        return request;
    }

    private static void kazinfoteh(WebhookAuthenticator authenticator, String apiKey) {
        authenticator.check("kazinfoteh", post("X-API-KEY", apiKey));
    }

    private static void greenapi(WebhookAuthenticator authenticator, String authorization) {
        authenticator.check("greenapi", post("Authorization", authorization));
    }

    @Test
    void kazinfotehKeyThatMatchesPasses() {
        assertThatCode(() -> kazinfoteh(authenticator("k-123", "t"), "k-123")).doesNotThrowAnyException();
    }

    @Test
    void kazinfotehKeyThatDiffersIs401() {
        assertThatThrownBy(() -> kazinfoteh(authenticator("k-123", "t"), "k-124"))
                .isInstanceOfSatisfying(WebhookException.class, e -> assertThat(e.status()).isEqualTo(401));
    }

    @Test
    void kazinfotehKeyThatIsAPrefixIs401() {
        assertThatThrownBy(() -> kazinfoteh(authenticator("k-123", "t"), "k-12"))
                .isInstanceOfSatisfying(WebhookException.class, e -> assertThat(e.status()).isEqualTo(401));
    }

    @Test
    void missingKazinfotehKeyIs401() {
        assertThatThrownBy(() -> kazinfoteh(authenticator("k-123", "t"), null))
                .isInstanceOfSatisfying(WebhookException.class, e -> assertThat(e.status()).isEqualTo(401));
    }

    @Test
    void greenApiBearerTokenPassesWhateverTheSchemeCase() {
        assertThatCode(() -> greenapi(authenticator("k", "tok"), "bearer tok")).doesNotThrowAnyException();
        assertThatCode(() -> greenapi(authenticator("k", "tok"), "Bearer tok")).doesNotThrowAnyException();
    }

    @Test
    void greenApiTokenWithoutBearerSchemeIs401() {
        assertThatThrownBy(() -> greenapi(authenticator("k", "tok"), "tok"))
                .isInstanceOfSatisfying(WebhookException.class, e -> assertThat(e.status()).isEqualTo(401));
        assertThatThrownBy(() -> greenapi(authenticator("k", "tok"), "Basic dG9r"))
                .isInstanceOfSatisfying(WebhookException.class, e -> assertThat(e.status()).isEqualTo(401));
    }

    @Test
    void eachProvidersSecretOpensOnlyItsOwnWebhook() {
        WebhookAuthenticator authenticator = authenticator("shared-looking", "shared-looking");
        assertThatThrownBy(() -> authenticator.check("kazinfoteh", post("Authorization", "Bearer shared-looking")))
                .isInstanceOfSatisfying(WebhookException.class, e -> assertThat(e.status()).isEqualTo(401));
        assertThatThrownBy(() -> authenticator.check("greenapi", post("X-API-KEY", "shared-looking")))
                .isInstanceOfSatisfying(WebhookException.class, e -> assertThat(e.status()).isEqualTo(401));
    }

    @Test
    void aProviderTheGatewayDoesNotHaveIs404() {
        assertThatThrownBy(() -> authenticator("k", "t").check("whatsapp", post("X-API-KEY", "k")))
                .isInstanceOfSatisfying(WebhookException.class, e -> assertThat(e.status()).isEqualTo(404));
        assertThatThrownBy(() -> authenticator("k", "t").check(null, post("X-API-KEY", "k")))
                .isInstanceOfSatisfying(WebhookException.class, e -> assertThat(e.status()).isEqualTo(404));
    }

    @Test
    void unsetSecretRefusesEveryCallerWith503() {
        WebhookAuthenticator unset = authenticator(" ", null);
        assertThatThrownBy(() -> kazinfoteh(unset, " "))
                .isInstanceOfSatisfying(WebhookException.class, e -> assertThat(e.status()).isEqualTo(503));
        assertThatThrownBy(() -> greenapi(unset, "Bearer "))
                .isInstanceOfSatisfying(WebhookException.class, e -> assertThat(e.status()).isEqualTo(503));
    }

    @Test
    void unsetSecretIsWarnedAboutAtStartWithoutPrintingSecrets(CapturedOutput output) {
        authenticator(null, "super-secret-token");

        assertThat(output).contains("gateway.kazinfoteh.api-key is not set").contains("503")
                .doesNotContain("gateway.greenapi.token is not set")
                .doesNotContain("super-secret-token");
    }
}
