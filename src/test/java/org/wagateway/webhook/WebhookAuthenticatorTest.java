package org.wagateway.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.wagateway.config.GatewayProperties;

@ExtendWith(OutputCaptureExtension.class)
class WebhookAuthenticatorTest {

    private static WebhookAuthenticator authenticator(String apiKey, String token) {
        GatewayProperties properties = new GatewayProperties();
        properties.getKazinfoteh().setApiKey(apiKey);
        properties.getGreenapi().setToken(token);
        return new WebhookAuthenticator(properties);
    }

    @Test
    void kazinfotehKeyThatMatchesPasses() {
        assertThatCode(() -> authenticator("k-123", "t").kazinfoteh("k-123")).doesNotThrowAnyException();
    }

    @Test
    void kazinfotehKeyThatDiffersIs401() {
        assertThatThrownBy(() -> authenticator("k-123", "t").kazinfoteh("k-124"))
                .isInstanceOfSatisfying(WebhookException.class, e -> assertThat(e.status()).isEqualTo(401));
    }

    @Test
    void kazinfotehKeyThatIsAPrefixIs401() {
        assertThatThrownBy(() -> authenticator("k-123", "t").kazinfoteh("k-12"))
                .isInstanceOfSatisfying(WebhookException.class, e -> assertThat(e.status()).isEqualTo(401));
    }

    @Test
    void missingKazinfotehKeyIs401() {
        assertThatThrownBy(() -> authenticator("k-123", "t").kazinfoteh(null))
                .isInstanceOfSatisfying(WebhookException.class, e -> assertThat(e.status()).isEqualTo(401));
    }

    @Test
    void greenApiBearerTokenPassesWhateverTheSchemeCase() {
        assertThatCode(() -> authenticator("k", "tok").greenapi("bearer tok")).doesNotThrowAnyException();
        assertThatCode(() -> authenticator("k", "tok").greenapi("Bearer tok")).doesNotThrowAnyException();
    }

    @Test
    void greenApiTokenWithoutBearerSchemeIs401() {
        assertThatThrownBy(() -> authenticator("k", "tok").greenapi("tok"))
                .isInstanceOfSatisfying(WebhookException.class, e -> assertThat(e.status()).isEqualTo(401));
        assertThatThrownBy(() -> authenticator("k", "tok").greenapi("Basic dG9r"))
                .isInstanceOfSatisfying(WebhookException.class, e -> assertThat(e.status()).isEqualTo(401));
    }

    @Test
    void unsetSecretRefusesEveryCallerWith503() {
        WebhookAuthenticator unset = authenticator(" ", null);
        assertThatThrownBy(() -> unset.kazinfoteh(" "))
                .isInstanceOfSatisfying(WebhookException.class, e -> assertThat(e.status()).isEqualTo(503));
        assertThatThrownBy(() -> unset.greenapi("Bearer "))
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
