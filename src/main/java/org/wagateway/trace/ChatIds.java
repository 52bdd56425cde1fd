package org.wagateway.trace;

import java.util.Locale;
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
        StringBuilder digits = new StringBuilder(local.length());
        for (int i = 0; i < local.length(); i++) {
            char c = local.charAt(i);
            if (c >= '0' && c <= '9') {
                digits.append(c);
            }
        }
        return digits.isEmpty() ? id.strip().toLowerCase(Locale.ROOT) : digits.toString();
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
        String masked = PhoneMaskingConverter.mask(id);
        StringBuilder out = new StringBuilder(masked.length());
        int run = 0;
        for (int i = 0; i < masked.length(); i++) {
            char c = masked.charAt(i);
            if (c >= '0' && c <= '9') {
                run++;
                continue;
            }
            appendRun(out, masked, i, run);
            run = 0;
            out.append(c);
        }
        appendRun(out, masked, masked.length(), run);
        return out.toString();
    }

    /** The run of {@code length} digits ending before {@code end}: kept when short, else all but 4 masked. */
    private static void appendRun(StringBuilder out, String text, int end, int length) {
        if (length == 0) {
            return;
        }
        if (length < 5) {
            out.append(text, end - length, end);
        } else {
            out.append("*".repeat(length - 4)).append(text, end - 4, end);
        }
    }
}
