package org.wagateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Provider webhook samples under {@code src/test/resources/fixtures/<provider>/<type>.json}. */
public final class Fixtures {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Fixtures() {
    }

    public static JsonNode load(String path) {
        try {
            return MAPPER.readTree(text(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The file names of one provider's fixtures ({@code text.json}, ...), sorted. */
    public static List<String> names(String provider) {
        URL folder = Fixtures.class.getClassLoader().getResource("fixtures/" + provider);
        if (folder == null) {
            throw new IllegalArgumentException("No fixtures for " + provider);
        }
        try (Stream<Path> files = Files.list(Path.of(folder.toURI()))) {
            return files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(".json"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(folder + " is not a folder", e);
        }
    }

    public static String text(String path) {
        return resource("fixtures/" + path);
    }

    /**
     * The canonical message of a fixture, from its golden file {@code src/test/resources/golden/<provider>/<name>}
     * (see {@code CanonicalGoldenFilesTest}).
     */
    public static JsonNode golden(String path) {
        try {
            return MAPPER.readTree(resource("golden/" + path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String resource(String path) {
        try (InputStream in = Fixtures.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("No " + path + " on the test classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
