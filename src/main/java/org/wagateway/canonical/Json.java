package org.wagateway.canonical;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.time.Instant;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Lenient reads of provider JSON: a missing, null or blank field is null, never an exception. */
public final class Json {

    private Json() {
    }

    /** The text at a JSON pointer ({@code /senderData/chatId}), or null when missing, null or blank. */
    public static String text(JsonNode node, String pointer) {
        JsonNode value = node.at(pointer);
        if (value.isMissingNode() || value.isNull() || value.isContainerNode()) {
            return null;
        }
        String text = value.asText();
        return text.isBlank() ? null : text;
    }

    /** Unix seconds (a number, or digits as text) as an instant; null when absent, zero or not seconds. */
    public static Instant epochSeconds(JsonNode timestamp) {
        if (timestamp.canConvertToLong() && timestamp.asLong() > 0) {
            return Instant.ofEpochSecond(timestamp.asLong());
        }
        if (timestamp.isTextual() && timestamp.asText().trim().matches("\\d{1,12}")) {
            long seconds = Long.parseLong(timestamp.asText().trim());
            return seconds > 0 ? Instant.ofEpochSecond(seconds) : null;
        }
        return null;
    }

    /** A provider's word for a step or state in lower case, the word of an id; "unknown" when absent. */
    public static String lowerWord(String value) {
        return value == null ? "unknown" : value.trim().toLowerCase(Locale.ROOT);
    }

    /** The first of the pointers that holds a text ({@link #text}), or null when none does. */
    public static String firstText(JsonNode node, String... pointers) {
        for (String pointer : pointers) {
            String text = text(node, pointer);
            if (text != null) {
                return text;
            }
        }
        return null;
    }

    /**
     * A whole number sent as a number or as a string ({@code 4}, {@code "4"}, {@code "4.0"}); null when absent,
     * not a number, not whole, or beyond an int.
     */
    public static Integer integer(JsonNode node, String pointer) {
        Double value = number(node, pointer);
        if (value == null || value % 1 != 0 || value > Integer.MAX_VALUE || value < Integer.MIN_VALUE) {
            return null;
        }
        return value.intValue();
    }

    /** The texts of an array of strings (blank ones left out); empty when the array is missing. */
    public static List<String> texts(JsonNode node, String pointer) {
        List<String> texts = new ArrayList<>();
        for (JsonNode item : node.at(pointer)) {
            if (item.isValueNode() && !item.isNull() && !item.asText().isBlank()) {
                texts.add(item.asText());
            }
        }
        return texts;
    }

    /** Whether the field is there and is an empty or blank string: sent on purpose, unlike a missing field. */
    public static boolean blankText(JsonNode node, String pointer) {
        JsonNode value = node.at(pointer);
        return value.isTextual() && value.asText().isBlank();
    }

    /** A number that the provider may send as a number or as a string; null when absent or not a number. */
    public static Double number(JsonNode node, String pointer) {
        JsonNode value = node.at(pointer);
        if (value.isNumber()) {
            return value.doubleValue();
        }
        String text = text(node, pointer);
        if (text == null) {
            return null;
        }
        try {
            double number = Double.parseDouble(text.trim().replace(',', '.'));
            return Double.isFinite(number) ? number : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A flag sent as a boolean or as "true"/"false"/"1"/"0"; null when absent. */
    public static Boolean flag(JsonNode node, String pointer) {
        JsonNode value = node.at(pointer);
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        String text = text(node, pointer);
        if (text == null) {
            return null;
        }
        return switch (text.trim().toLowerCase()) {
            case "true", "1", "yes" -> Boolean.TRUE;
            case "false", "0", "no" -> Boolean.FALSE;
            default -> null;
        };
    }

    /** Digits only: {@code +7 (777) 666-22-22} and {@code 77776662222@c.us} both give {@code 77776662222}. */
    public static String digits(String value) {
        if (value == null) {
            return null;
        }
        int at = value.indexOf('@');
        String local = at >= 0 ? value.substring(0, at) : value;
        String digits = local.replaceAll("\\D", "");
        return digits.isEmpty() ? null : digits;
    }

    /**
     * A stable stand-in id for a payload that carries none: the SHA-256 of its JSON, so that a provider's
     * retry of the same body gets the same canonical id.
     */
    public static String fingerprint(JsonNode payload) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest(payload.toString().getBytes(StandardCharsets.UTF_8));
            return "sha256-" + HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
