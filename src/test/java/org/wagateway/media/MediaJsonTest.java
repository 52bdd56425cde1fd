package org.wagateway.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;
import org.wagateway.canonical.Media;
import org.wagateway.canonical.MediaStatus;

/** The canonical {@link Media}'s JSON, as Spring Boot's ObjectMapper writes it. */
class MediaJsonTest {

    private final ObjectMapper mapper = Jackson2ObjectMapperBuilder.json().build();
    private final Media announced = new Media("https://kazinfoteh.kz/upl/x.jpeg", "image/jpeg", "x.jpeg", true, null);

    @Test
    void anAnnouncedAttachmentLooksAsBefore() throws Exception {
        assertThat(mapper.writeValueAsString(announced)).isEqualTo(
                "{\"sourceUrl\":\"https://kazinfoteh.kz/upl/x.jpeg\",\"mimeType\":\"image/jpeg\",\"fileName\":\"x.jpeg\","
                        + "\"hasThumbnail\":true}");
        assertThat(new Media("u", "t", "n")).isEqualTo(new Media("u", "t", "n", null, null));
    }

    @Test
    void aStoredAttachmentRoundTrips() throws Exception {
        Media stored = announced.withDownload("ab".repeat(32), 1234L, "image/png", "image/jpeg", null,
                Instant.parse("2024-08-06T10:13:10Z"), "/media/abab?expires=1&signature=s");

        String json = mapper.writeValueAsString(stored);

        assertThat(json).isEqualTo("{\"sourceUrl\":\"https://kazinfoteh.kz/upl/x.jpeg\",\"mimeType\":\"image/png\","
                + "\"fileName\":\"x.jpeg\",\"hasThumbnail\":true,\"status\":\"stored\",\"declaredMimeType\":\"image/jpeg\","
                + "\"sha256\":\"" + "ab".repeat(32) + "\",\"size\":1234,\"storedAt\":\"2024-08-06T10:13:10Z\","
                + "\"url\":\"/media/abab?expires=1&signature=s\"}");
        assertThat(mapper.readValue(json, Media.class)).isEqualTo(stored);
    }

    @Test
    void aFailureKeepsTheAnnouncementAndSaysWhy() throws Exception {
        Media failed = announced.withFailure(MediaStatus.TOO_LARGE, "more than the limit of 10 bytes");

        String json = mapper.writeValueAsString(failed);

        assertThat(json).contains("\"status\":\"too_large\"", "\"failure\":\"more than the limit of 10 bytes\"",
                "\"sourceUrl\"", "\"fileName\":\"x.jpeg\"");
        assertThat(json).doesNotContain("sha256", "url\":", "storedAt");
        assertThat(mapper.readValue(json, Media.class)).isEqualTo(failed);
        assertThatThrownBy(() -> announced.withFailure(MediaStatus.STORED, "x"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void statusesAreLowerCase() throws Exception {
        for (MediaStatus status : MediaStatus.values()) {
            String json = mapper.writeValueAsString(status);
            assertThat(json).isEqualTo("\"" + status.name().toLowerCase() + "\"");
            assertThat(mapper.readValue(json, MediaStatus.class)).isEqualTo(status);
        }
    }
}
