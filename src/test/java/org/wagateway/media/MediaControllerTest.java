package org.wagateway.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

/** The controller on its own (MockMvc standalone: no application context, no security filters). */
class MediaControllerTest {

    @TempDir
    Path dir;

    private final Instant now = Instant.now();
    private final MediaProperties properties = new MediaProperties();
    private MediaLinks links;
    private LocalMediaStore store;
    private MockMvc mvc;

    @BeforeEach
    void setUp() {
        properties.setLinkSecret("controller-test-secret-controller-test");
        links = new MediaLinks(properties, Clock.fixed(now, ZoneOffset.UTC));
        store = new LocalMediaStore(dir, Clock.systemUTC());
        mvc = MockMvcBuilders.standaloneSetup(new MediaController(links, store)).build();
    }

    private String keep(byte[] bytes, String mimeType, String fileName) throws Exception {
        String sha = TestMedia.sha256(bytes);
        Path tmp = Files.write(Files.createTempFile(dir, "t", ".part"), bytes);
        store.store(tmp, sha, mimeType, fileName);
        return sha;
    }

    @Test
    void aSignedLinkStreamsTheFileWithSafeHeaders() throws Exception {
        byte[] jpeg = TestMedia.jpeg();
        String sha = keep(jpeg, "image/jpeg", "Фото витрины \"1\".jpg");

        mvc.perform(get(links.url(sha)))
                .andExpect(status().isOk())
                .andExpect(header().string("Content-Type", "image/jpeg"))
                .andExpect(header().longValue("Content-Length", jpeg.length))
                .andExpect(header().string("Content-Disposition", "attachment; filename=\"____ _______ 1.jpg\"; "
                        + "filename*=UTF-8''%D0%A4%D0%BE%D1%82%D0%BE%20%D0%B2%D0%B8%D1%82%D1%80%D0%B8%D0%BD%D1%8B%201.jpg"))
                .andExpect(header().string("X-Content-Type-Options", "nosniff"))
                .andExpect(header().string("Cache-Control", "private"))
                .andExpect(header().string("Content-Security-Policy", "default-src 'none'; sandbox"))
                .andExpect(content().bytes(jpeg));
    }

    @Test
    void aFileWithoutANameGetsOneFromItsHash() throws Exception {
        String sha = keep(TestMedia.pdf(), "application/pdf", null);

        mvc.perform(get(links.url(sha)))
                .andExpect(status().isOk())
                .andExpect(header().string("Content-Disposition",
                        "attachment; filename=\"media-" + sha.substring(0, 12) + ".pdf\"; filename*=UTF-8''media-"
                                + sha.substring(0, 12) + ".pdf"));
    }

    @Test
    void aBadMissingOrExpiredSignatureIsForbidden() throws Exception {
        String sha = keep(TestMedia.png(), "image/png", "a.png");
        long expired = now.minusSeconds(1).getEpochSecond();

        mvc.perform(get("/media/" + sha + "?expires=" + (now.getEpochSecond() + 60) + "&signature=AAAA"))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.status").value("rejected"))
                .andExpect(jsonPath("$.error").value("forbidden"));
        mvc.perform(get("/media/" + sha)).andExpect(status().isForbidden());
        mvc.perform(get("/media/" + sha + "?expires=" + expired + "&signature=" + links.sign(sha, expired)))
                .andExpect(status().isForbidden());
    }

    @Test
    void anUnknownIdWithAGoodSignatureIsNotFound() throws Exception {
        String sha = "b".repeat(64);

        mvc.perform(get(links.url(sha)))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.status").value("rejected"))
                .andExpect(jsonPath("$.error").value("not_found"));
    }

    @Test
    void anIdThatIsNotAHashIsABadRequest() throws Exception {
        for (String id : new String[] {"abc", "g".repeat(64), "..%2F..%2Fetc%2Fpasswd", "a".repeat(65), "%2e%2e"}) {
            mvc.perform(get("/media/" + id + "?expires=1&signature=x"))
                    .andExpect(status().isBadRequest())
                    .andExpect(jsonPath("$.error").value("invalid_media_id"));
        }
    }

    @Test
    void anUpperCaseIdIsTheSameMedia() throws Exception {
        byte[] png = TestMedia.png();
        String sha = keep(png, "image/png", "a.png");
        String url = links.url(sha).replace(sha, sha.toUpperCase());

        mvc.perform(get(url)).andExpect(status().isOk()).andExpect(content().bytes(png));
    }

    @Test
    void aStoredTypeThatIsNotAMediaTypeIsServedAsOctetStream() throws Exception {
        String sha = keep("hello".getBytes(), "nonsense", "a.txt");

        mvc.perform(get(links.url(sha)))
                .andExpect(status().isOk())
                .andExpect(header().string("Content-Type", "application/octet-stream"));
    }

    @Test
    void fileNamesAreSanitised() {
        assertThat(MediaController.sanitize("../../etc/passwd")).isEqualTo("passwd");
        assertThat(MediaController.sanitize("C:\\Users\\me\\report.pdf")).isEqualTo("report.pdf");
        assertThat(MediaController.sanitize("a\r\nSet-Cookie: x=1.txt")).isEqualTo("aSet-Cookie: x=1.txt");
        assertThat(MediaController.sanitize("evil\u202Egpj.exe")).isEqualTo("evilgpj.exe");
        assertThat(MediaController.sanitize("...hidden")).isEqualTo("hidden");
        assertThat(MediaController.sanitize("  ")).isNull();
        assertThat(MediaController.sanitize("x".repeat(500))).hasSize(150);
    }
}
