package org.wagateway.canonical;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.wagateway.CanonicalSchema;

/**
 * The field tables of {@code docs/canonical-message.md} ("Fields" and the nested objects' table) say what the JSON
 * Schema says: every property of the schema is in a table and every field in a table is in the schema, with the
 * type the table states, its values where the table lists them ({@code `direct` \| `group`}), and the fields
 * marked <i>always</i> exactly those the schema requires. The "Types" table lists the schema's types.
 * <p>
 * How the tables are read: a field cell holds one or more paths in code spans; one starting with a dot continues
 * the first path's parent ({@code `quoted.id`, `.type`} is {@code quoted.type}); {@code []} marks an array (of
 * objects, when fields follow). A type cell holds types ({@code string}, {@code strings}, {@code integer},
 * {@code number}, {@code boolean}, {@code object}, {@code array of …}), in the fields' order when there are as many
 * as fields, else each field has one of them; or values in code spans joined by {@code \|}; or the fields of an
 * object in braces ({@code {phone *always*, whatsapp}}). <i>always</i> marks the field before it (inside braces)
 * or the row's fields; the top-level fields always there are listed after "Always present:".
 */
class CanonicalMessageDocsTest {

    private static final Path ROOT = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
    private static final Path DOCS = ROOT.resolve("docs/canonical-message.md");
    private static final Pattern CODE = Pattern.compile("`([^`]*)`");
    private static final Pattern BRACES = Pattern.compile("\\{([^}]*)}");
    private static final Pattern VALUES = Pattern.compile("^\\s*`[^`]+`(\\s*\\\\\\|\\s*`[^`]+`)+");
    private static final Pattern ALWAYS = Pattern.compile("\\*always\\*");
    private static final Map<String, String> TYPE_WORDS = Map.of("string", "string", "strings", "array",
            "integer", "integer", "number", "number", "boolean", "boolean", "object", "object", "objects", "object",
            "array", "array");

    /** What a table says about one field. */
    record DocField(String path, Set<String> types, Set<String> values, boolean always, String row) {
    }

    private static JsonNode schema;
    private static Map<String, JsonNode> schemaFields;
    private static Map<String, DocField> docFields;
    private static String docs;

    @BeforeAll
    static void read() throws IOException {
        try (InputStream in = CanonicalSchema.class.getClassLoader().getResourceAsStream(CanonicalSchema.LOCATION)) {
            schema = new ObjectMapper().readTree(in);
        }
        schemaFields = new LinkedHashMap<>();
        collect(schema, "", schemaFields);
        docs = Files.readString(DOCS, StandardCharsets.UTF_8);
        docFields = new LinkedHashMap<>();
        for (List<String> row : tableRows(section("### Fields"), "| field | type | meaning |")) {
            for (DocField field : parse(row.get(0), row.get(1))) {
                assertThat(docFields.put(field.path(), field)).as("%s documented twice", field.path()).isNull();
            }
        }
    }

    @Test
    void everySchemaFieldIsInTheDocs() {
        Set<String> missing = new TreeSet<>(schemaFields.keySet());
        missing.removeAll(docFields.keySet());
        assertThat(missing).as("schema fields missing from the field tables of docs/canonical-message.md").isEmpty();
    }

    @Test
    void everyDocumentedFieldIsInTheSchema() {
        Set<String> unknown = new TreeSet<>(docFields.keySet());
        unknown.removeAll(schemaFields.keySet());
        assertThat(unknown).as("fields in docs/canonical-message.md the schema does not have").isEmpty();
    }

    @Test
    void documentedTypesAreTheSchemaTypes() {
        List<String> wrong = new ArrayList<>();
        docFields.values().stream().filter(field -> schemaFields.containsKey(field.path())).forEach(field -> {
            JsonNode property = schemaFields.get(field.path());
            String type = typeOf(property);
            if (!field.types().isEmpty() && !field.types().contains(type)) {
                wrong.add(field.path() + ": docs say " + field.types() + ", schema says " + type);
            }
            if (!field.values().isEmpty() && !field.values().equals(valuesOf(property))) {
                wrong.add(field.path() + ": docs list " + field.values() + ", schema has " + valuesOf(property));
            }
        });
        assertThat(wrong).isEmpty();
    }

    @Test
    void fieldsMarkedAlwaysAreTheRequiredOnes() {
        List<String> wrong = new ArrayList<>();
        docFields.values().stream().filter(field -> schemaFields.containsKey(field.path()))
                .filter(field -> field.path().contains(".")).forEach(field -> {
                    boolean required = requiredIn(parentOf(field.path())).contains(lastName(field.path()));
                    if (required != field.always()) {
                        wrong.add(field.path() + ": docs " + (field.always() ? "mark it" : "do not mark it")
                                + " always, schema " + (required ? "requires it" : "does not require it"));
                    }
                });
        assertThat(wrong).as("nested fields marked *always* against the schema's required").isEmpty();

        Matcher always = Pattern.compile("Always present: ([^;\\n]*)").matcher(docs);
        assertThat(always.find()).as("an \"Always present:\" line in docs/canonical-message.md").isTrue();
        assertThat(codeSpans(always.group(1))).as("top-level fields always present")
                .containsExactlyInAnyOrderElementsOf(texts(schema.get("required")));
    }

    @Test
    void typesTableListsTheSchemaTypes() {
        List<String> documented = tableRows(section("### Types"), "| `type` | `kind` | default queue | carries |")
                .stream().map(row -> codeSpans(row.get(0)).get(0)).toList();
        assertThat(documented).containsExactlyInAnyOrderElementsOf(
                texts(schema.at("/$defs/messageType/enum")));
    }

    // --- the docs ----------------------------------------------------------------------------------------------

    private static String section(String heading) {
        int start = docs.indexOf("\n" + heading + "\n");
        assertThat(start).as("section %s in docs/canonical-message.md", heading).isNotNegative();
        int end = docs.indexOf("\n### ", start + heading.length() + 2);
        return docs.substring(start, end < 0 ? docs.length() : end);
    }

    /** The cells of every row of the tables in this text whose header line is {@code header}. */
    private static List<List<String>> tableRows(String text, String header) {
        List<List<String>> rows = new ArrayList<>();
        boolean inTable = false;
        for (String line : text.split("\n")) {
            if (line.equals(header)) {
                inTable = true;
            } else if (!line.startsWith("|")) {
                inTable = false;
            } else if (inTable && !line.startsWith("|---")) {
                List<String> cells = new ArrayList<>();
                for (String cell : line.substring(1, line.length() - 1).split("(?<!\\\\)\\|")) {
                    cells.add(cell.strip());
                }
                rows.add(cells);
            }
        }
        assertThat(rows).as("rows of the tables headed %s", header).isNotEmpty();
        return rows;
    }

    private static List<DocField> parse(String fieldCell, String typeCell) {
        List<String> paths = new ArrayList<>();
        for (String name : codeSpans(fieldCell)) {
            paths.add(name.startsWith(".") ? parentOf(paths.get(0)) + name.substring(1) : name);
        }
        assertThat(paths).as("paths in the field cell %s", fieldCell).isNotEmpty();
        String row = fieldCell + " | " + typeCell;

        List<DocField> fields = new ArrayList<>();
        Matcher braces = BRACES.matcher(typeCell.replace("`", ""));
        String outside = typeCell;
        boolean hasFields = braces.find();
        if (hasFields) {
            outside = "";   // a row with braces describes one object (or array of objects) by its fields
            for (String item : braces.group(1).split(",")) {
                boolean always = ALWAYS.matcher(item).find();
                String name = ALWAYS.matcher(item).replaceAll("").strip();
                fields.add(new DocField(normal(paths.get(0)) + (paths.get(0).endsWith("[]") ? "[]." : ".")
                        + normal(name), Set.of(), Set.of(), always, row));
            }
            assertThat(paths).as("one field per row with braces: %s", row).hasSize(1);
        }

        Set<String> values = new LinkedHashSet<>();
        Matcher listed = VALUES.matcher(outside);
        if (listed.find()) {
            values.addAll(codeSpans(listed.group()));
        }
        String words = CODE.matcher(outside).replaceAll(" ").toLowerCase();
        List<String> types = new ArrayList<>();
        if (words.contains("array of")) {
            types.add("array");
        } else {
            for (String word : words.split("[^a-z]+")) {
                if (TYPE_WORDS.containsKey(word)) {
                    types.add(TYPE_WORDS.get(word));
                }
            }
        }
        assertThat(!types.isEmpty() || !values.isEmpty() || hasFields)
                .as("a type, values or fields in the row %s", row).isTrue();
        boolean always = ALWAYS.matcher(outside).find();
        for (int i = 0; i < paths.size(); i++) {
            Set<String> own = types.size() == paths.size() ? Set.of(types.get(i)) : Set.copyOf(types);
            if (hasFields) {
                own = Set.of(paths.get(0).endsWith("[]") ? "array" : "object");
            }
            fields.add(new DocField(normal(paths.get(i)), own, values, always, row));
        }
        return fields;
    }

    private static List<String> codeSpans(String text) {
        List<String> spans = new ArrayList<>();
        Matcher code = CODE.matcher(text);
        while (code.find()) {
            spans.add(code.group(1));
        }
        return spans;
    }

    /** {@code poll.options[]} and {@code poll.options} are the same field: the array. */
    private static String normal(String path) {
        return path.endsWith("[]") ? path.substring(0, path.length() - 2) : path;
    }

    private static String parentOf(String path) {
        return path.substring(0, path.lastIndexOf('.') + 1);
    }

    private static String lastName(String path) {
        return path.substring(path.lastIndexOf('.') + 1);
    }

    // --- the schema --------------------------------------------------------------------------------------------

    /** Every property below {@code node}, by path: {@code chat.id}, {@code contacts[].phones[].phone}. */
    private static void collect(JsonNode node, String prefix, Map<String, JsonNode> into) {
        JsonNode object = resolve(node);
        if (object.has("items")) {
            collect(object.get("items"), prefix + "[].", into);
            return;
        }
        object.path("properties").fields().forEachRemaining(property -> {
            String path = prefix.isEmpty() ? property.getKey() : prefix + property.getKey();
            into.put(path.replace(".[]", "[]"), resolve(property.getValue()));
            if (!"raw".equals(path)) {
                collect(property.getValue(), path.replace(".[]", "[]") + ".", into);
            }
        });
    }

    private static JsonNode resolve(JsonNode node) {
        JsonNode resolved = node;
        while (resolved.has("$ref")) {
            String ref = resolved.get("$ref").asText();
            assertThat(ref).startsWith("#/");
            resolved = schema.at(ref.substring(1));
        }
        return resolved;
    }

    /** The required fields of the object a path's parent names ({@code contacts[].phones[].} → a phone). */
    private static Set<String> requiredIn(String parent) {
        String path = parent.substring(0, parent.length() - 1);
        JsonNode node = path.endsWith("[]")
                ? resolve(schemaFields.get(path.substring(0, path.length() - 2)).get("items"))
                : schemaFields.get(path);
        return Set.copyOf(texts(node.path("required")));
    }

    private static String typeOf(JsonNode property) {
        if (property.has("type")) {
            return property.get("type").asText();
        }
        List<JsonNode> values = new ArrayList<>();
        if (property.has("const")) {
            values.add(property.get("const"));
        }
        property.path("enum").forEach(values::add);
        Set<String> types = new TreeSet<>();
        values.forEach(value -> types.add(value.isIntegralNumber() ? "integer" : value.getNodeType().name()
                .toLowerCase()));
        return types.size() == 1 ? types.iterator().next() : types.toString();
    }

    private static Set<String> valuesOf(JsonNode property) {
        return texts(property.path("enum")).stream().collect(Collectors.toCollection(LinkedHashSet::new));
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(value -> texts.add(value.asText()));
        return texts;
    }
}
