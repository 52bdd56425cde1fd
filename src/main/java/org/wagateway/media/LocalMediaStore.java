package org.wagateway.media;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;
import org.wagateway.config.GatewayProperties;

/**
 * Copies on the local disk, content-addressed: {@code <dir>/<sha[0..2]>/<sha>} holds the bytes and
 * {@code <sha>.json} beside it the sidecar ({@code sha256, size, mimeType, fileName, storedAt}). Files arrive by
 * atomic moves, bytes first and sidecar last, so a copy is visible only when both are complete; a crash in
 * between leaves bytes without a sidecar, which the next store of the same bytes completes. The same bytes are
 * stored once: the sidecar of the first keeps its type, name and time.
 */
@Component
@ConditionalOnProperty(name = "gateway.media.store", havingValue = "local", matchIfMissing = true)
public class LocalMediaStore implements MediaStore {

    private static final ObjectMapper SIDECARS = new ObjectMapper()
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path dir;
    private final Clock clock;

    @Autowired
    public LocalMediaStore(MediaProperties properties, GatewayProperties gateway) {
        this(properties.resolveDir(gateway.getDataDir()), Clock.systemUTC());
    }

    public LocalMediaStore(Path dir, Clock clock) {
        this.dir = dir;
        this.clock = clock;
    }

    /** The sidecar as written to disk. */
    record Sidecar(String sha256, long size, String mimeType, String fileName, String storedAt) {
    }

    @Override
    public StoredMedia store(Path tempFile, String sha256, String mimeType, String fileName) throws IOException {
        requireId(sha256);
        Path content = contentPath(sha256);
        Path sidecar = sidecarPath(sha256);
        try {
            Optional<StoredMedia> existing = readSidecar(sidecar);
            if (existing.isPresent() && Files.isRegularFile(content)) {
                return existing.get();
            }
            Files.createDirectories(content.getParent());
            long size = Files.size(tempFile);
            move(tempFile, content);
            StoredMedia stored = new StoredMedia(sha256, size, mimeType, fileName, clock.instant());
            Path sidecarTemp = Files.createTempFile(content.getParent(), sha256, ".json.part");
            try {
                SIDECARS.writeValue(sidecarTemp.toFile(), new Sidecar(sha256, size, mimeType, fileName,
                        stored.storedAt().toString()));
                move(sidecarTemp, sidecar);
            } finally {
                Files.deleteIfExists(sidecarTemp);
            }
            return stored;
        } finally {
            Files.deleteIfExists(tempFile);
        }
    }

    @Override
    public Optional<StoredMediaContent> open(String sha256) throws IOException {
        if (!MediaStore.isValidId(sha256)) {
            return Optional.empty();
        }
        Path content = contentPath(sha256);
        Optional<StoredMedia> media = readSidecar(sidecarPath(sha256));
        if (media.isEmpty() || !Files.isRegularFile(content)) {
            return Optional.empty();
        }
        StoredMedia found = media.get();
        return Optional.of(new StoredMediaContent() {
            @Override
            public StoredMedia media() {
                return found;
            }

            @Override
            public InputStream openStream() throws IOException {
                return Files.newInputStream(content);
            }
        });
    }

    /** The file holding the bytes of this id (whether or not it exists). */
    public Path contentPath(String sha256) {
        requireId(sha256);
        return dir.resolve(sha256.substring(0, 2)).resolve(sha256);
    }

    private Path sidecarPath(String sha256) {
        return dir.resolve(sha256.substring(0, 2)).resolve(sha256 + ".json");
    }

    private static Optional<StoredMedia> readSidecar(Path sidecar) throws IOException {
        byte[] json;
        try {
            json = Files.readAllBytes(sidecar);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        Sidecar read = SIDECARS.readValue(json, Sidecar.class);
        return Optional.of(new StoredMedia(read.sha256(), read.size(), read.mimeType(), read.fileName(),
                read.storedAt() == null ? null : Instant.parse(read.storedAt())));
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void requireId(String sha256) {
        if (!MediaStore.isValidId(sha256)) {
            throw new IllegalArgumentException("not a hex SHA-256: " + sha256);
        }
    }
}
