package org.wagateway.inprocess;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.jms.Message;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.wagateway.Fixtures;

/**
 * Attachments end to end: the gateway answers the webhook at once, downloads the file from a media server on
 * loopback, keeps the copy, and delivers the message with the link to it; a failed download still delivers.
 */
class MediaDeliveryTest extends GatewayTestSupport {

    private static final byte[] PHOTO = MediaServer.jpeg();
    private static final MediaServer MEDIA = new MediaServer()
            .file("/upl/photo.jpeg", "image/jpeg", PHOTO)
            .file("/upl/slow.jpeg", "image/jpeg", PHOTO).hold("/upl/slow.jpeg")
            .file("/upl/lying.pdf", "application/pdf", PHOTO)
            .status("/upl/gone.jpeg", 404)
            .status("/upl/missing.jpeg", 404);

    @Value("${gateway.data-dir}")
    Path dataDir;

    @AfterAll
    static void stopMediaServer() {
        MEDIA.close();
    }

    private ObjectNode kazinfotehImage(String path) {
        ObjectNode sample = withFreshId(Fixtures.load("kazinfoteh/image.json"), "id");
        sample.put("msgAttachmentUrl", MEDIA.url(path));
        return sample;
    }

    @Test
    void anImageIsDownloadedKeptAndLinkedFromTheQueuedMessage() throws Exception {
        ObjectNode sample = kazinfotehImage("/upl/photo.jpeg");
        String id = "kazinfoteh:" + sample.get("id").asText();

        postKazinfoteh(sample);
        Message message = receive("whatsapp.in.image", id, Duration.ofSeconds(20));

        assertThat(message).as("message on whatsapp.in.image").isNotNull();
        assertThat(message.getStringProperty("mediaStatus")).isEqualTo("stored");
        JsonNode media = body(message).path("media");
        assertThat(media.path("status").asText()).isEqualTo("stored");
        assertThat(media.path("sha256").asText()).isEqualTo(sha256(PHOTO));
        assertThat(media.path("size").asLong()).isEqualTo(PHOTO.length);
        assertThat(media.path("mimeType").asText()).isEqualTo("image/jpeg");
        assertThat(media.path("sourceUrl").asText()).isEqualTo(MEDIA.url("/upl/photo.jpeg"));
        assertThat(media.path("url").asText()).startsWith("/media/" + sha256(PHOTO) + "?");
        assertThat(Files.readAllBytes(storedFile(sha256(PHOTO)))).isEqualTo(PHOTO);
    }

    @Test
    void theLinkInTheMessageServesTheStoredBytes() throws Exception {
        ObjectNode sample = kazinfotehImage("/upl/photo.jpeg");
        String id = "kazinfoteh:" + sample.get("id").asText();

        postKazinfoteh(sample);
        String link = body(receive("whatsapp.in.image", id, Duration.ofSeconds(20))).at("/media/url").asText();
        HttpResponse<byte[]> download = new TestClient(port).getBytes(link);

        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).isEqualTo(PHOTO);
        assertThat(new TestClient(port).getBytes(link.replaceAll("signature=[^&]+", "signature=forged")).statusCode())
                .isEqualTo(403);
    }

    @Test
    void theCrmGetsTheLinkNeverTheBytes() throws Exception {
        ObjectNode sample = kazinfotehImage("/upl/photo.jpeg");
        String id = "kazinfoteh:" + sample.get("id").asText();

        postKazinfoteh(sample);
        String body = crmRequestFor(id).getBodyAsString();

        JsonNode canonical = JSON.readTree(body);
        assertThat(canonical.at("/media/status").asText()).isEqualTo("stored");
        assertThat(canonical.at("/media/url").asText()).startsWith("/media/");
        assertThat(body.length()).as("no inline file in the CRM body").isLessThan(PHOTO.length + 4_000);
        assertThat(body).doesNotContain(java.util.Base64.getEncoder().encodeToString(PHOTO).substring(0, 40));
    }

    @Test
    void theWebhookIsAnsweredBeforeTheDownloadFinishes() throws Exception {
        ObjectNode sample = kazinfotehImage("/upl/slow.jpeg");
        String id = "kazinfoteh:" + sample.get("id").asText();

        HttpResponse<String> response = postKazinfoteh(sample);

        // the media server is still holding the file back: the provider already has its answer
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(receive("whatsapp.in.image", id, Duration.ofMillis(500))).as("delivered before its media").isNull();
        MEDIA.release("/upl/slow.jpeg");
        Message message = receive("whatsapp.in.image", id, Duration.ofSeconds(20));
        assertThat(message).isNotNull();
        assertThat(body(message).at("/media/status").asText()).isEqualTo("stored");
    }

    @Test
    void aLyingContentTypeIsCorrectedFromTheBytes() throws Exception {
        ObjectNode sample = kazinfotehImage("/upl/lying.pdf");
        String id = "kazinfoteh:" + sample.get("id").asText();

        postKazinfoteh(sample);
        JsonNode media = body(receive("whatsapp.in.image", id, Duration.ofSeconds(20))).path("media");

        assertThat(media.path("mimeType").asText()).isEqualTo("image/jpeg");
        assertThat(media.path("declaredMimeType").asText()).isEqualTo("application/pdf");
    }

    @Test
    void aFailedDownloadStillDeliversTheMessageAndKeepsACopyForRetry() throws Exception {
        ObjectNode sample = kazinfotehImage("/upl/gone.jpeg");
        String id = "kazinfoteh:" + sample.get("id").asText();

        postKazinfoteh(sample);
        Message delivered = receive("whatsapp.in.image", id, Duration.ofSeconds(20));
        Message kept = receive("whatsapp.dlq.media", id, Duration.ofSeconds(5));

        assertThat(delivered).isNotNull();
        assertThat(body(delivered).at("/media/status").asText()).isEqualTo("failed");
        assertThat(body(delivered).at("/media/failure").asText()).contains("404");
        assertThat(kept).as("copy on whatsapp.dlq.media").isNotNull();
        assertThat(MEDIA.requestsTo("/upl/gone.jpeg")).as("a 404 is not retried").isEqualTo(1);
    }

    @Test
    void aProviderRetryAfterAFailedDownloadIsFetchedAgain() throws Exception {
        ObjectNode sample = kazinfotehImage("/upl/missing.jpeg");
        String id = "kazinfoteh:" + sample.get("id").asText();
        postKazinfoteh(sample);
        assertThat(receive("whatsapp.in.image", id, Duration.ofSeconds(20))).isNotNull();
        long before = MEDIA.requestsTo("/upl/missing.jpeg");

        postKazinfoteh(sample);
        Message retried = receive("whatsapp.in.image", id, Duration.ofSeconds(20));

        assertThat(retried).as("the retry is processed, not swallowed as a duplicate").isNotNull();
        assertThat(MEDIA.requestsTo("/upl/missing.jpeg")).isEqualTo(before + 1);
    }

    @Test
    void aLinkToAHostNotAllowedIsRefusedWithoutARequest() throws Exception {
        ObjectNode sample = withFreshId(Fixtures.load("kazinfoteh/image.json"), "id");
        String id = "kazinfoteh:" + sample.get("id").asText();

        postKazinfoteh(sample);
        JsonNode media = body(receive("whatsapp.in.image", id, Duration.ofSeconds(20))).path("media");

        assertThat(media.path("status").asText()).isEqualTo("refused");
        assertThat(media.path("sourceUrl").asText()).startsWith("https://kazinfoteh.kz/");
    }

    private Path storedFile(String sha256) {
        return dataDir.resolve("media").resolve(sha256.substring(0, 2)).resolve(sha256);
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
