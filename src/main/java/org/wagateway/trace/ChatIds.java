package org.wagateway.trace;

import java.util.Locale;
import java.util.regex.Pattern;
import org.wagateway.ops.PhoneMaskingConverter;

/**
 * Chat and sender ids as the trace keeps them. The providers spell one phone differently (Kazinfoteh and Meta
 * {@code 77011234567}, Green API {@code 77011234567@c.us}, a linked device {@code 77011234567:12@s.whatsapp.net})
 * and ops type it as they see it ({@code +7 701 123-45-67}); all of these are one chat, so the hash is taken of the
 * digits of the part before {@code @} (and before a device's {@code :}). A group's id has digits too
 * ({@code 120363369140947676@g.us}, {@code 77776662222-1589412345@g.us}) and is found by them the same way. An id
 * without any digit is kept as typed, lower case.
 */
public final class ChatIds {

    /** Longest chat or sender id accepted from a query. */
    static final int MAX_LENGTH = 128;

    private static final Pattern NOT_A_DIGIT = Pattern.compile("[^0-9]");
    /** A number shown only by its last 4 digits. */
    private static final Pattern LONG_NUMBER = Pattern.compile("[0-9]{5,}");

    private ChatIds() {
    }

    /** The text the hash is taken of; null for a blank or missing id. */
    public static String normalise(String id) {
        if (id == null || id.isBlank()) {
            return null;
        }
        String local = id.strip();
        int at = local.indexOf('@');
        if (at >= 0) {
            local = local.substring(0, at);
        }
        int device = local.indexOf(':');
        if (device >= 0) {
            local = local.substring(0, device);
        }
        String digits = NOT_A_DIGIT.matcher(local).replaceAll("");
        return digits.isEmpty() ? id.strip().toLowerCase(Locale.ROOT) : digits;
    }

    /**
     * The id for display: every phone number in it masked but its last 4 digits, as in the logs
     * ({@link PhoneMaskingConverter}); an id the masking does not take for a phone (a group's, shorter numbers)
     * has its digits masked the same way, so no number of 5 digits or more is ever shown whole.
     */
    public static String masked(String id) {
        if (id == null) {
            return null;
        }
        return LONG_NUMBER.matcher(PhoneMaskingConverter.mask(id)).replaceAll(number -> {
            String digits = number.group();
            return "*".repeat(digits.length() - 4) + digits.substring(digits.length() - 4);
        });
    }
}
