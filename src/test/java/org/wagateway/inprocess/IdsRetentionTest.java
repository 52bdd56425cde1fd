package org.wagateway.inprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.wagateway.Fixtures;

/**
 * The ids store keeps ids for gateway.idempotency.retention (here 1 hour, purged every 300 ms), then lets them go:
 * without the purge the table grew by two rows per message for good.
 */
class IdsRetentionTest extends GatewayTestSupport {

    @Autowired
    DataSource dataSource;

    @Autowired
    MeterRegistry registry;

    @Test
    void idsOlderThanTheRetentionArePurgedAndTheRecentOnesKept() {
        JdbcTemplate ids = new JdbcTemplate(dataSource);
        ObjectNode sample = withFreshId(Fixtures.load("greenapi/text-message.json"), "idMessage");
        String id = "greenapi:" + sample.get("idMessage").asText();
        String expired = id + ":two-hours-old";
        double purgedBefore = registry.get("gateway.idempotency.purged").counter().count();

        HttpResponse<String> answer = postGreenApi(sample);
        crmRequestFor(id);
        ids.update("INSERT INTO CAMEL_MESSAGEPROCESSED (processorName, messageId, createdAt) VALUES (?, ?, ?)",
                "webhook", expired, Timestamp.from(Instant.now().minus(Duration.ofHours(2))));

        assertThat(answer.statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                ids.queryForList("SELECT messageId FROM CAMEL_MESSAGEPROCESSED WHERE messageId LIKE ?",
                        String.class, id + "%")).doesNotContain(expired));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(idsOf(ids, id))
                .as("the webhook's and the CRM's ids of the message just taken").containsExactlyInAnyOrder(
                        "webhook " + id, "crm " + id + "|"));
        assertThat(registry.get("gateway.idempotency.purged").counter().count()).isGreaterThanOrEqualTo(purgedBefore + 1);
    }

    private static List<String> idsOf(JdbcTemplate ids, String id) {
        return ids.queryForList("SELECT processorName || ' ' || messageId FROM CAMEL_MESSAGEPROCESSED"
                + " WHERE messageId LIKE ?", String.class, id + "%");
    }
}
