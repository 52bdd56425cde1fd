package org.wagateway.inprocess;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.wagateway.Fixtures;

/**
 * Meta's attachments through the running gateway: a canonical Meta image (as the mapper makes it: a media id and
 * the announced SHA-256, no link) is dispatched to the media step, which asks the Graph API stand-in for the link,
 * downloads it with the token and checks the bytes before the message is queued and posted to the CRM. The token
 * reaches only the Graph API and the CDN: no log line, no JMS property, no CRM request carries it.
 */
@ExtendWith(OutputCaptureExtension.class)
class MetaMediaDeliveryTest extends GatewayTestSupport {

    private static final byte[] PHOTO = MediaServer.jpeg();

    /** The golden Meta image with a fresh message id and media id, announcing {@code announced}'s checksum. */
    private static ObjectNode metaImage(String mediaId, byte[] announced) throws Exception {
        ObjectNode message = Fixtures.golden("meta/image.json").get(0).deepCopy();
        String providerId = "wamid." + UUID.randomUUID();
        message.put("providerMessageId", providerId).put("id", "meta:" + providerId);
        ((ObjectNode) message.get("media")).put("mediaId", mediaId)
                .put("declaredSha256", Base64.getEncoder().encodeToString(sha256(announced)));
        return message;
    }

    private static String freshMediaId() {
        return Long.toString(ThreadLocalRandom.current().nextLong(1_000_000_000_000_000L, Long.MAX_VALUE));
    }

    /** The Graph API's lookup of {@code mediaId} answers a link on the CDN stand-in, which serves the photo. */
    private static String graphServes(String mediaId) throws Exception {
        String file = "/cdn/whatsapp_business/attachments/" + mediaId;
        String link = "http://127.0.0.1:" + META_GRAPH.port() + file + "?mid=" + mediaId + "&ext=1&hash=x";
        META_GRAPH.stubFor(WireMock.get(urlEqualTo(META_GRAPH_PATH + "/" + mediaId)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody(JSON.createObjectNode().put("messaging_product", "whatsapp").put("url", link)
                        .put("mime_type", "image/jpeg").put("sha256", Base64.getEncoder().encodeToString(sha256(PHOTO)))
                        .put("file_size", PHOTO.length).put("id", mediaId).toString())));
        META_GRAPH.stubFor(WireMock.get(urlPathEqualTo(file)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "image/jpeg").withBody(PHOTO)));
        return file;
    }

    private void ingest(ObjectNode message) {
        jms.convertAndSend("whatsapp.gateway.ingest", message.toString(), jmsMessage -> {
            jmsMessage.setJMSCorrelationID(message.get("id").asText());
            jmsMessage.setStringProperty("provider", "meta");
            jmsMessage.setStringProperty("kind", "message");
            jmsMessage.setStringProperty("type", "image");
            return jmsMessage;
        });
    }

    @Test
    void aMetaImageIsLookedUpDownloadedWithTheTokenCheckedAndDelivered(CapturedOutput output) throws Exception {
        String mediaId = freshMediaId();
        String file = graphServes(mediaId);
        ObjectNode message = metaImage(mediaId, PHOTO);
        String id = message.get("id").asText();

        ingest(message);
        Message queued = receive("whatsapp.in.image", id, Duration.ofSeconds(20));

        assertThat(queued).as("message on whatsapp.in.image").isNotNull();
        assertThat(queued.getStringProperty("mediaStatus")).isEqualTo("stored");
        JsonNode media = body(queued).path("media");
        assertThat(media.path("status").asText()).isEqualTo("stored");
        assertThat(media.path("sha256").asText()).isEqualTo(HexFormat.of().formatHex(sha256(PHOTO)));
        assertThat(media.path("mediaId").asText()).isEqualTo(mediaId);
        assertThat(media.path("url").asText()).startsWith("/media/" + HexFormat.of().formatHex(sha256(PHOTO)) + "?");
        assertThat(META_GRAPH.findAll(getRequestedFor(urlEqualTo(META_GRAPH_PATH + "/" + mediaId))
                .withHeader("Authorization", equalTo("Bearer " + META_ACCESS_TOKEN)))).hasSize(1);
        assertThat(META_GRAPH.findAll(getRequestedFor(urlPathEqualTo(file))
                .withHeader("Authorization", equalTo("Bearer " + META_ACCESS_TOKEN)))).hasSize(1);

        LoggedRequest posted = crmRequestFor(id);
        assertThat(posted.getBodyAsString()).contains(mediaId).doesNotContain(META_ACCESS_TOKEN);
        assertThat(posted.getHeaders().all()).noneMatch(header -> header.toString().contains(META_ACCESS_TOKEN));
        assertThat(properties(queued)).noneMatch(value -> value.contains(META_ACCESS_TOKEN));
        assertThat(output.getAll()).contains("Media from 127.0.0.1").doesNotContain(META_ACCESS_TOKEN);
    }

    @Test
    void bytesThatBreakTheAnnouncedChecksumAreNotStoredAndTheMessageGoesOnWithACopyToTheMediaDlq()
            throws Exception {
        String mediaId = freshMediaId();
        graphServes(mediaId);
        // the webhook announced other bytes than the CDN serves
        ObjectNode message = metaImage(mediaId, "other bytes".getBytes());
        String id = message.get("id").asText();

        ingest(message);
        Message queued = receive("whatsapp.in.image", id, Duration.ofSeconds(20));
        Message dead = receive("whatsapp.dlq.media", id, Duration.ofSeconds(20));

        assertThat(queued).as("message on whatsapp.in.image").isNotNull();
        assertThat(queued.getStringProperty("mediaStatus")).isEqualTo("failed");
        JsonNode media = body(queued).path("media");
        assertThat(media.path("failure").asText()).contains("Meta announced").doesNotContain(META_ACCESS_TOKEN);
        assertThat(media.has("url")).isFalse();
        assertThat(dead).as("copy on whatsapp.dlq.media").isNotNull();
        assertThat(properties(dead)).noneMatch(value -> value.contains(META_ACCESS_TOKEN));
    }

    private static List<String> properties(Message message) throws JMSException {
        List<String> values = new ArrayList<>();
        for (Object name : Collections.list(message.getPropertyNames())) {
            values.add(name + "=" + message.getObjectProperty((String) name));
        }
        return values;
    }

    private static byte[] sha256(byte[] bytes) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(bytes);
    }
}
