package org.wagateway.inprocess;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import org.wagateway.Fixtures;

/**
 * The optional source-address allow-list: Kazinfoteh may only call from a range the tests are not in
 * (TEST-NET-3, compared, never contacted), Green API from loopback, where the tests are.
 */
@TestPropertySource(properties = {
        "gateway.broker.name=gateway-test-sources",
        "gateway.kazinfoteh.allowed-source-ips=203.0.113.0/24",
        "gateway.greenapi.allowed-source-ips=127.0.0.0/8,::1",
})
class SourceAddressAllowListTest extends GatewayTestSupport {

    @Test
    void aWebhookFromOutsideTheAllowedRangesIs403AndNothingIsStored() throws Exception {
        ObjectNode sample = withFreshId(Fixtures.load("kazinfoteh/text.json"), "id");

        HttpResponse<String> response = postKazinfoteh(sample);

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(json(response).path("error").asText()).isEqualTo("source_not_allowed");
        String id = "kazinfoteh:" + sample.get("id").asText();
        assertThat(receive("whatsapp.in.text", id, Duration.ofSeconds(2))).isNull();
    }

    @Test
    void aWebhookFromAnAllowedRangeIsTaken() throws Exception {
        ObjectNode sample = withFreshId(Fixtures.load("greenapi/text-message.json"), "idMessage");

        HttpResponse<String> response = postGreenApi(sample);

        assertThat(response.statusCode()).isEqualTo(200);
        String id = "greenapi:" + sample.get("idMessage").asText();
        assertThat(receive("whatsapp.in.text", id, Duration.ofSeconds(20))).isNotNull();
    }
}
