package org.wagateway.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalMediaStoreTest {

    @TempDir
    Path dir;

    private final Instant first = Instant.parse("2024-08-06T10:13:10Z");

    private LocalMediaStore store(Instant now) {
        return new LocalMediaStore(dir.resolve("media"), Clock.fixed(now, ZoneOffset.UTC));
    }

    private Path temp(byte[] bytes) throws IOException {
        Path tmp = Files.createDirectories(dir.resolve("media/.tmp"));
        return Files.write(Files.createTempFile(tmp, "download-", ".part"), bytes);
    }

    @Test
    void keepsTheBytesUnderTheirHashWithASidecar() throws IOException {
        byte[] png = TestMedia.png();
        String sha = TestMedia.sha256(png);
        Path tempFile = temp(png);

        StoredMedia stored = store(first).store(tempFile, sha, "image/png", "photo.png");

        Path content = dir.resolve("media").resolve(sha.substring(0, 2)).resolve(sha);
        assertThat(content).hasBinaryContent(png);
        assertThat(content.resolveSibling(sha + ".json")).content()
                .contains("\"mimeType\":\"image/png\"").contains("\"fileName\":\"photo.png\"")
                .contains("\"size\":" + png.length).contains("\"storedAt\":\"2024-08-06T10:13:10Z\"");
        assertThat(tempFile).doesNotExist();
        assertThat(stored).isEqualTo(new StoredMedia(sha, png.length, "image/png", "photo.png", first));
    }

    @Test
    void theSameBytesAreKeptOnceAndTheFirstEntryWins() throws IOException {
        byte[] jpeg = TestMedia.jpeg();
        String sha = TestMedia.sha256(jpeg);
        store(first).store(temp(jpeg), sha, "image/jpeg", "first.jpg");
        Path secondTemp = temp(jpeg);

        StoredMedia again = store(first.plusSeconds(60)).store(secondTemp, sha, "image/jpeg", "second.jpg");

        assertThat(again.fileName()).isEqualTo("first.jpg");
        assertThat(again.storedAt()).isEqualTo(first);
        assertThat(secondTemp).doesNotExist();
        assertThat(files()).containsExactlyInAnyOrder(
                dir.resolve("media").resolve(sha.substring(0, 2)).resolve(sha),
                dir.resolve("media").resolve(sha.substring(0, 2)).resolve(sha + ".json"));
    }

    @Test
    void bytesWithoutASidecarAreCompletedByTheNextStore() throws IOException {
        byte[] pdf = TestMedia.pdf();
        String sha = TestMedia.sha256(pdf);
        LocalMediaStore local = store(first);
        local.store(temp(pdf), sha, "application/pdf", null);
        Files.delete(local.contentPath(sha).resolveSibling(sha + ".json")); // a crash between the two moves

        assertThat(local.open(sha)).isEmpty();
        local.store(temp(pdf), sha, "application/pdf", "again.pdf");

        assertThat(local.open(sha)).map(c -> c.media().fileName()).contains("again.pdf");
    }

    @Test
    void opensWhatItKeeps() throws IOException {
        byte[] mp3 = TestMedia.mp3();
        String sha = TestMedia.sha256(mp3);
        LocalMediaStore local = store(first);
        local.store(temp(mp3), sha, "audio/mpeg", "song.mp3");

        Optional<StoredMediaContent> content = local.open(sha);

        assertThat(content).isPresent();
        assertThat(content.get().media().mimeType()).isEqualTo("audio/mpeg");
        try (InputStream in = content.get().openStream()) {
            assertThat(in.readAllBytes()).isEqualTo(mp3);
        }
    }

    @Test
    void unknownAndInvalidIdsAreNotFound() throws IOException {
        LocalMediaStore local = store(first);

        assertThat(local.open("a".repeat(64))).isEmpty();
        assertThat(local.open("../../etc/passwd")).isEmpty();
        assertThat(local.open("A".repeat(64))).isEmpty();
        assertThat(local.open(null)).isEmpty();
    }

    @Test
    void refusesToStoreUnderAnIdThatIsNotAHash() throws IOException {
        Path tempFile = temp(new byte[] {1});

        assertThatThrownBy(() -> store(first).store(tempFile, "../evil", "text/plain", null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> walk = Files.walk(dir.resolve("media"))) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }
}
