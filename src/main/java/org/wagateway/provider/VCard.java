package org.wagateway.provider;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.wagateway.canonical.Contact;
import org.wagateway.canonical.Json;

/**
 * Reads the parts of a vCard (3.0 as WhatsApp sends it) that the canonical contact carries: names, phones
 * (with WhatsApp's {@code waid} parameter), e-mails. Lenient: unknown properties are skipped, a card that is
 * not a vCard gives a contact with only the display name and the card text.
 */
public final class VCard {

    private VCard() {
    }

    /** The contact of {@code vcard}; {@code displayName} stands in for a missing {@code FN}. */
    public static Contact parse(String displayName, String vcard) {
        String formatted = null;
        String first = null;
        String last = null;
        List<Line> tels = new ArrayList<>();
        List<Line> emails = new ArrayList<>();
        Map<String, String> labels = new HashMap<>();
        for (Line line : lines(vcard)) {
            switch (line.name) {
                case "FN" -> formatted = blankToNull(line.value);
                case "N" -> {
                    String[] parts = line.value.split("(?<!\\\\);", -1);
                    last = parts.length > 0 ? blankToNull(unescape(parts[0])) : null;
                    first = parts.length > 1 ? blankToNull(unescape(parts[1])) : null;
                }
                case "TEL" -> tels.add(line);
                case "EMAIL" -> emails.add(line);
                case "X-ABLABEL" -> {
                    if (line.group != null) {
                        labels.put(line.group, unescape(line.value));
                    }
                }
                default -> { }
            }
        }
        List<Contact.Phone> phones = new ArrayList<>();
        for (Line tel : tels) {
            String waId = Json.digits(tel.param("WAID"));
            String phone = blankToNull(tel.value);
            if (phone == null && waId == null) {
                continue;
            }
            phones.add(new Contact.Phone(phone != null ? phone : "+" + waId, waId != null ? Boolean.TRUE : null,
                    waId, tel.type(labels)));
        }
        List<Contact.Email> mails = new ArrayList<>();
        for (Line email : emails) {
            if (blankToNull(email.value) != null) {
                mails.add(new Contact.Email(email.value.trim(), email.type(labels)));
            }
        }
        String name = formatted != null ? unescape(formatted) : blankToNull(displayName);
        return new Contact(name, first, last, phones, mails, blankToNull(vcard));
    }

    private static List<Line> lines(String vcard) {
        List<Line> lines = new ArrayList<>();
        if (vcard == null) {
            return lines;
        }
        // Unfold: a line that starts with a space or a tab continues the one before it (RFC 6350 3.2).
        String unfolded = vcard.replace("\r\n", "\n").replace('\r', '\n').replaceAll("\n[ \t]", "");
        for (String raw : unfolded.split("\n")) {
            int colon = raw.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String[] head = raw.substring(0, colon).split(";");
            String name = head[0];
            String group = null;
            int dot = name.indexOf('.');
            if (dot > 0) {
                group = name.substring(0, dot);
                name = name.substring(dot + 1);
            }
            Map<String, String> params = new HashMap<>();
            List<String> types = new ArrayList<>();
            for (int i = 1; i < head.length; i++) {
                String param = head[i];
                int eq = param.indexOf('=');
                if (eq < 0) {
                    types.add(param);            // vCard 2.1 style: TEL;CELL:...
                    continue;
                }
                String key = param.substring(0, eq).toUpperCase(Locale.ROOT);
                String value = param.substring(eq + 1).replace("\"", "");
                if ("TYPE".equals(key)) {
                    types.add(value);
                } else {
                    params.put(key, value);
                }
            }
            lines.add(new Line(group, name.toUpperCase(Locale.ROOT), params, types, raw.substring(colon + 1)));
        }
        return lines;
    }

    private static String unescape(String value) {
        return value.replace("\\n", "\n").replace("\\N", "\n").replace("\\,", ",").replace("\\;", ";")
                .replace("\\\\", "\\");
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private record Line(String group, String name, Map<String, String> params, List<String> types, String value) {

        String param(String key) {
            return params.get(key);
        }

        /** The TYPE parameters, else the Apple-style label of the same item group ({@code item1.X-ABLabel}). */
        String type(Map<String, String> labels) {
            List<String> useful = types.stream()
                    .flatMap(t -> List.of(t.split(",")).stream())
                    .filter(t -> !t.isBlank() && !"VOICE".equalsIgnoreCase(t) && !"INTERNET".equalsIgnoreCase(t)
                            && !"PREF".equalsIgnoreCase(t))
                    .toList();
            if (!useful.isEmpty()) {
                return String.join(",", useful);
            }
            return group != null ? blankToNull(labels.get(group)) : null;
        }
    }
}
