package org.wagateway.media;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.wagateway.GatewayApplication;
import org.wagateway.inprocess.TestDataDirs;

/**
 * The media beans in the booted gateway: the processor as Spring wires it (against a loopback server, by IP
 * literal, so no name is looked up) and the media endpoint behind the real security chain.
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "gateway.broker.tcp-port=0",
                "gateway.broker.name=gateway-media-test",
                "gateway.media.allowed-hosts=127.0.0.1:*", // the provider's server is on a random port
                "gateway.media.allow-private-addresses=true",
                "gateway.media.link-secret=media-endpoint-test-secret-0123456789",
                "gateway.media.public-base-url=http://gateway.example.test",
        })
class MediaEndpointTest {

    private static LoopbackServer provider;

    @LocalServerPort
    int port;

    @Autowired
    MediaAttachment attachment;

    @Autowired
    org.apache.camel.CamelContext camel;

    @Autowired
    ObjectMapper objectMapper;

    private final HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        TestDataDirs.register(registry, "gateway-media-test");
    }

    @BeforeAll
    static void startProvider() throws IOException {
        provider = LoopbackServer.start();
    }

    @AfterAll
    static void stopProvider() {
        provider.close();
    }

    private HttpResponse<byte[]> get(String pathAndQuery) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void aDownloadedAttachmentIsServedOverItsSignedLink() throws Exception {
        byte[] jpeg = TestMedia.jpeg();
        provider.serve("/photo.jpg", 200, "image/jpeg", jpeg);
        String json = "{\"id\":\"greenapi:1\",\"type\":\"image\",\"media\":{\"sourceUrl\":\"http://127.0.0.1:"
                + provider.port() + "/photo.jpg\",\"fileName\":\"photo.jpg\"}}";

        org.apache.camel.Exchange exchange = new org.apache.camel.support.DefaultExchange(camel);
        exchange.getMessage().setBody(json);
        attachment.process(exchange);
        JsonNode media = objectMapper.readTree(exchange.getMessage().getBody(String.class)).get("media");

        assertThat(media.get("status").asText()).isEqualTo("stored");
        String url = media.get("url").asText();
        assertThat(url).startsWith("http://gateway.example.test/media/" + TestMedia.sha256(jpeg) + "?expires=");
        HttpResponse<byte[]> response = get(url.substring("http://gateway.example.test".length()));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(jpeg);
        assertThat(response.headers().firstValue("Content-Type")).contains("image/jpeg");
        assertThat(response.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(response.headers().firstValue("Content-Disposition")).get().asString().startsWith("attachment;");
    }

    @Test
    void withoutASignatureTheEndpointAnswersForbiddenNotAskingForALogin() throws Exception {
        HttpResponse<byte[]> unsigned = get("/media/" + "c".repeat(64));
        HttpResponse<byte[]> badId = get("/media/not-a-hash?expires=1&signature=x");

        assertThat(unsigned.statusCode()).isEqualTo(403);
        assertThat(unsigned.headers().firstValue("WWW-Authenticate")).isEmpty();
        assertThat(new String(unsigned.body())).contains("\"error\":\"forbidden\"");
        assertThat(badId.statusCode()).isEqualTo(400);
        assertThat(new String(badId.body())).contains("\"error\":\"invalid_media_id\"");
    }
}
