package org.wagateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md against what the code defines: the configuration processor's metadata of the
 * {@code *Properties} classes ({@code META-INF/spring-configuration-metadata.json}, made by {@code mvn compile}) and
 * the defaults {@link PropertyDefaults} reads from them. Each failure says which row to add or fix. Environment
 * names are written as Spring's relaxed binding reads them: dots and dashes become underscores, upper case.
 */
class ConfigurationTableTest {

    private static final Path ROOT = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
    private static final Path TABLE = ROOT.resolve("docs/configuration.md");
    /** A row of the table: | `key` | env | default | meaning |. */
    private static final Pattern ROW = Pattern.compile("^\\|\\s*`([^`]+)`\\s*\\|([^|]*)\\|([^|]*)\\|(.*)\\|\\s*$");
    private static final Pattern CODE = Pattern.compile("`([^`]*)`");
    /** Words a default column starts with when the key has no default value. */
    private static final Pattern NO_VALUE = Pattern.compile("^(unset|empty|none)\\b.*", Pattern.CASE_INSENSITIVE);

    private static final Map<String, JsonNode> METADATA = gatewayMetadata();
    private static final Map<String, Object> DEFAULTS = PropertyDefaults.defaults();

    @Test
    void everyKeyHasADescription() {
        List<String> undescribed = METADATA.values().stream()
                .filter(property -> property.path("description").asText("").isBlank())
                .map(property -> property.get("name").asText()).toList();
        assertThat(undescribed).as("keys without a description: write a javadoc comment on their field").isEmpty();
    }

    @Test
    void theMetadataAndPropertyDefaultsAgreeOnEveryDefault() {
        List<String> problems = new ArrayList<>();
        DEFAULTS.keySet().stream().filter(key -> !METADATA.containsKey(baseKey(key)))
                .forEach(key -> problems.add(key + " has a default but is no key of the metadata: give its field a "
                        + "getter and a setter"));
        METADATA.forEach((key, property) -> {
            if (property.has("defaultValue") && !sameValue(metadataDefault(property), DEFAULTS.get(key))) {
                problems.add(key + ": the metadata says " + metadataDefault(property) + ", the class gives "
                        + DEFAULTS.get(key));
            }
        });
        assertThat(problems).isEmpty();
    }

    @Test
    void theTableListsEveryKeyWithItsDefault() throws IOException {
        Map<String, String[]> rows = gatewayRows();
        List<String> problems = new ArrayList<>();
        METADATA.forEach((key, property) -> {
            String expected = expectedDefault(key, property);
            String[] row = rows.get(key);
            if (row == null) {
                problems.add("no row for " + key + "; add to docs/configuration.md:\n| `" + key + "` | | "
                        + (expected == null ? (isCollection(property) ? "empty" : "unset")
                                : expected.isEmpty() ? "empty" : "`" + expected + "`")
                        + " | " + plain(property.path("description").asText("")) + " |");
                return;
            }
            String documented = row[2].strip();
            if (expected == null || expected.isEmpty()) {
                if (!NO_VALUE.matcher(documented).matches()) {
                    problems.add(key + " has no default value: its default column must start with unset, empty "
                            + "or none, not: " + documented);
                }
            } else {
                Matcher code = CODE.matcher(documented);
                String first = code.find() && code.start() == 0 ? code.group(1) : null;
                if (first == null || !sameValue(expected, first)) {
                    problems.add(key + ": the default column must start with `" + expected + "`, not: " + documented);
                }
            }
            String env = row[1].strip();
            if (!env.isEmpty() && !env.equals("`" + envName(key) + "`")) {
                problems.add(key + ": its environment variable is `" + envName(key) + "` (relaxed binding), not "
                        + env);
            }
        });
        rows.keySet().stream().filter(key -> !METADATA.containsKey(key))
                .forEach(key -> problems.add("the table lists " + key + ", which no *Properties class binds: "
                        + "remove the row, or add the field"));
        assertThat(problems).as("docs/configuration.md against the *Properties classes").isEmpty();
    }

    @Test
    void everyPlaceholderOfTheRoutesAndSettingsNamesAKey() throws IOException {
        Pattern placeholder = Pattern.compile("(?:\\{\\{|\\$\\{(?:properties:)?)(gateway\\.[a-z0-9.\\-]+)[}:]");
        List<Path> files = new ArrayList<>();
        try (Stream<Path> routes = Files.list(ROOT.resolve("routes"))) {
            routes.filter(file -> file.toString().endsWith(".yaml")).forEach(files::add);
        }
        try (Stream<Path> settings = Files.list(ROOT.resolve("src/main/resources"))) {
            settings.filter(file -> file.getFileName().toString().matches("application.*\\.ya?ml")).forEach(files::add);
        }
        TreeSet<String> unknown = new TreeSet<>();
        int found = 0;
        for (Path file : files) {
            Matcher matcher = placeholder.matcher(Files.readString(file, StandardCharsets.UTF_8));
            while (matcher.find()) {
                found++;
                if (!METADATA.containsKey(matcher.group(1))) {
                    unknown.add(matcher.group(1) + " in " + ROOT.relativize(file));
                }
            }
        }
        assertThat(found).as("placeholders found").isGreaterThan(10);
        assertThat(unknown).as("placeholders no *Properties class binds (add the field)").isEmpty();
    }

    private static boolean isCollection(JsonNode property) {
        return property.path("type").asText().matches("java\\.util\\.(List|Set|Map|Collection)\\b.*");
    }

    /** A javadoc description as Markdown: {@code x} and {@link #x} as `x`. */
    private static String plain(String description) {
        return description.replaceAll("\\{@(?:code|link|linkplain|value) #?([^}]*)}", "`$1`");
    }

    @Test
    void theDeploymentFilesSetOnlyEnvironmentNamesOfKeys() throws IOException {
        Pattern name = Pattern.compile("\\b(GATEWAY_[A-Z0-9_]+)\\s*[=:]");
        TreeSet<String> known = new TreeSet<>();
        METADATA.keySet().forEach(key -> known.add(envName(key)));
        TreeSet<String> unknown = new TreeSet<>();
        int found = 0;
        for (String file : new String[] {"Dockerfile", "docker-compose.yml"}) {
            for (String line : Files.readAllLines(ROOT.resolve(file), StandardCharsets.UTF_8)) {
                if (line.strip().startsWith("#")) {
                    continue;
                }
                // the names set (ENV A=1 B=2, or "  A: value"), not compose's ${A:?...} references to the shell
                Matcher matcher = name.matcher(line.replaceAll("\\$\\{[^}]*}", ""));
                while (matcher.find()) {
                    found++;
                    if (!known.contains(matcher.group(1))) {
                        unknown.add(matcher.group(1) + " in " + file);
                    }
                }
            }
        }
        assertThat(found).as("GATEWAY_* settings found").isGreaterThan(5);
        assertThat(unknown).as("environment names no key has (a key's name: dots and dashes as underscores)")
                .isEmpty();
    }

    /** The environment variable Spring's relaxed binding reads for a key. */
    static String envName(String key) {
        return key.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
    }

    /** The default as documented: the processor's value, or the class's where the processor records none. */
    private static String expectedDefault(String key, JsonNode property) {
        if (property.has("defaultValue")) {
            return metadataDefault(property);
        }
        Object value = DEFAULTS.get(key);
        return value == null ? null : String.valueOf(value);
    }

    private static String metadataDefault(JsonNode property) {
        JsonNode value = property.get("defaultValue");
        if (value.isArray()) {
            List<String> items = new ArrayList<>();
            value.forEach(item -> items.add(item.asText()));
            return String.join(",", items);
        }
        return value.asText();
    }

    /** The same value: equal text, or equal numbers ({@code 2} and {@code 2.0}). */
    private static boolean sameValue(String a, Object b) {
        if (b == null) {
            return a == null || a.isEmpty();
        }
        String other = String.valueOf(b);
        if (a.equalsIgnoreCase(other)) {
            return true;
        }
        try {
            return new BigDecimal(a).compareTo(new BigDecimal(other)) == 0;
        } catch (NumberFormatException notNumbers) {
            return false;
        }
    }

    /** {@code gateway.routing.types[sticker]} → {@code gateway.routing.types}. */
    private static String baseKey(String key) {
        int bracket = key.indexOf('[');
        return bracket < 0 ? key : key.substring(0, bracket);
    }

    private static Map<String, String[]> gatewayRows() throws IOException {
        Map<String, String[]> rows = new LinkedHashMap<>();
        for (String line : Files.readAllLines(TABLE, StandardCharsets.UTF_8)) {
            Matcher row = ROW.matcher(line);
            if (row.matches() && row.group(1).startsWith("gateway.")) {
                String[] previous = rows.put(row.group(1),
                        new String[] {row.group(1), row.group(2), row.group(3), row.group(4)});
                assertThat(previous).as("docs/configuration.md lists " + row.group(1) + " twice").isNull();
            }
        }
        return rows;
    }

    /** The {@code gateway.*} properties of the metadata the processor wrote for the gateway's own classes. */
    private static Map<String, JsonNode> gatewayMetadata() {
        try {
            Path classes = Path.of(GatewayProperties.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path file = classes.resolve("META-INF/spring-configuration-metadata.json");
            assertThat(file).as("the configuration processor's output (mvn compile)").exists();
            Map<String, JsonNode> properties = new LinkedHashMap<>();
            new ObjectMapper().readTree(file.toFile()).get("properties").forEach(property -> {
                if (property.get("name").asText().startsWith("gateway.")) {
                    properties.put(property.get("name").asText(), property);
                }
            });
            return properties;
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
