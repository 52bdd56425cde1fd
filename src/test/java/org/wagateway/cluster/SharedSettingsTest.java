package org.wagateway.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/** Which settings instances on one broker compare, by digest. */
class SharedSettingsTest {

    @Test
    void instancesWithAnotherTraceHashKeyDifferInItsDigestOnly() {
        Map<String, String> one = SharedSettings.digests(instance("trace-key-of-the-first-instance-32-bytes"));
        Map<String, String> other = SharedSettings.digests(instance("trace-key-of-another-instance-32-bytes"));

        assertThat(one.get("gateway.trace.hash-key")).isNotEqualTo(other.get("gateway.trace.hash-key"))
                .doesNotContain("trace-key");
        one.remove("gateway.trace.hash-key");
        other.remove("gateway.trace.hash-key");
        assertThat(one).isEqualTo(other);
    }

    @Test
    void instancesWithoutATraceHashKeyAgreeOnIt() {
        assertThat(SharedSettings.digests(instance(null)).get("gateway.trace.hash-key"))
                .isEqualTo(SharedSettings.digests(instance(null)).get("gateway.trace.hash-key")).isEqualTo("unset");
    }

    private static MockEnvironment instance(String traceHashKey) {
        MockEnvironment environment = new MockEnvironment()
                .withProperty("gateway.media.link-secret", "shared-link-secret")
                .withProperty("gateway.greenapi.token", "shared-token");
        if (traceHashKey != null) {
            environment.setProperty("gateway.trace.hash-key", traceHashKey);
        }
        return environment;
    }
}
