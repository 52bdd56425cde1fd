package org.wagateway.media;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class MediaRetryTest {

    @Test
    void aReplayedMessageLosesItsDownloadOutcomeButKeepsTheAnnouncement() throws Exception {
        String failed = "{\"id\":\"kazinfoteh:1\",\"media\":{\"sourceUrl\":\"http://127.0.0.1:1/a.jpg\",\"fileName\":\"a.jpg\","
                + "\"status\":\"failed\",\"failure\":\"HTTP 404\"},\"text\":\"hi\"}";

        var retried = new ObjectMapper().readTree(MediaRetry.forRetry(failed));

        assertThat(retried.at("/media/status").isMissingNode()).isTrue();
        assertThat(retried.at("/media/failure").isMissingNode()).isTrue();
        assertThat(retried.at("/media/sourceUrl").asText()).isEqualTo("http://127.0.0.1:1/a.jpg");
        assertThat(retried.at("/media/fileName").asText()).isEqualTo("a.jpg");
        assertThat(retried.path("text").asText()).isEqualTo("hi");
    }

    @Test
    void aMessageWithoutMediaIsUnchanged() {
        assertThat(MediaRetry.forRetry("{\"id\":\"x\"}")).isEqualTo("{\"id\":\"x\"}");
    }
}
