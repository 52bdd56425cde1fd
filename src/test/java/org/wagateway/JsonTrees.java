package org.wagateway;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Field-by-field comparison of two JSON trees that names where they differ as a JSON path
 * ({@code $.sender.phone}, {@code $.contacts[0].phones[1].type}), so a failing golden file says which field moved.
 */
public final class JsonTrees {

    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*");

    private JsonTrees() {
    }

    /** One difference: the path, and the expected and actual values as JSON ({@code nothing} for absent). */
    public record Difference(String path, String expected, String actual) {
        @Override
        public String toString() {
            return path + ": expected " + expected + " got " + actual;
        }
    }

    /** Every difference, in document order of the expected tree (fields only the actual tree has come last). */
    public static List<Difference> differences(JsonNode expected, JsonNode actual) {
        List<Difference> found = new ArrayList<>();
        compare("$", expected, actual, found);
        return found;
    }

    /**
     * The first difference and how many more there are, e.g. {@code $.sender.phone: expected "7900" got "7901"
     * (and 2 more differences)}; null when the trees are equal.
     */
    public static String describe(JsonNode expected, JsonNode actual) {
        List<Difference> found = differences(expected, actual);
        if (found.isEmpty()) {
            return null;
        }
        String first = found.get(0).toString();
        return found.size() == 1 ? first : first + " (and " + (found.size() - 1) + " more differences)";
    }

    /** The path of a field below {@code parent}: {@code $.name}, or {@code $['odd name']} when it is not plain. */
    public static String field(String parent, String name) {
        return PLAIN_NAME.matcher(name).matches()
                ? parent + "." + name
                : parent + "['" + name.replace("\\", "\\\\").replace("'", "\\'") + "']";
    }

    private static void compare(String path, JsonNode expected, JsonNode actual, List<Difference> found) {
        if (expected.isObject() && actual.isObject()) {
            Set<String> names = new LinkedHashSet<>();
            expected.fieldNames().forEachRemaining(names::add);
            actual.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                JsonNode e = expected.get(name);
                JsonNode a = actual.get(name);
                String child = field(path, name);
                if (e == null) {
                    found.add(new Difference(child, "nothing", a.toString()));
                } else if (a == null) {
                    found.add(new Difference(child, e.toString(), "nothing"));
                } else {
                    compare(child, e, a, found);
                }
            }
        } else if (expected.isArray() && actual.isArray()) {
            Iterator<JsonNode> e = expected.elements();
            Iterator<JsonNode> a = actual.elements();
            for (int i = 0; e.hasNext() || a.hasNext(); i++) {
                String child = path + "[" + i + "]";
                if (!a.hasNext()) {
                    found.add(new Difference(child, e.next().toString(), "nothing"));
                } else if (!e.hasNext()) {
                    found.add(new Difference(child, "nothing", a.next().toString()));
                } else {
                    compare(child, e.next(), a.next(), found);
                }
            }
        } else if (!sameValue(expected, actual)) {
            found.add(new Difference(path, expected.toString(), actual.toString()));
        }
    }

    // 43.5 read from a file and 43.5 written by the mapper may be different number nodes (double, BigDecimal)
    private static boolean sameValue(JsonNode expected, JsonNode actual) {
        if (expected.isNumber() && actual.isNumber()) {
            return expected.isIntegralNumber() == actual.isIntegralNumber()
                    && expected.decimalValue().compareTo(actual.decimalValue()) == 0;
        }
        return expected.equals(actual);
    }
}
