package org.wagateway.ops;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The log message with every phone number masked but its last 4 digits ({@code 77776662222} →
 * {@code *******2222}, {@code +77770229831} → {@code ********9831}, {@code 79001234568@c.us} →
 * {@code *******4568@c.us}), whoever logged it: our code, Camel or a library. Installed for
 * {@code %m}/{@code %msg}/{@code %message} in {@code logback-spring.xml}.
 *
 * <p>A phone is a number standing alone: an optional {@code +} (or its URL encoding {@code %2B}), then 10 to 15
 * digits, with no letter, digit or {@code _} next to it, and not joined by {@code -}, {@code :} or {@code .} to a
 * letter or digit on either side. So phones are masked bare, in JSON ({@code "sender":"77776662222"},
 * {@code "sender":77776662222}), in URLs ({@code ?phone=77776662222}, {@code /chats/77776662222/}), in
 * {@code key=value} and in e-mail-like addresses. A WhatsApp address ({@code @c.us}, {@code @s.whatsapp.net},
 * {@code @g.us}) has its leading number masked even when a part follows it ({@code 77776662222-1589412345@g.us},
 * {@code 77776662222:12@s.whatsapp.net}).
 *
 * <p>Digits that are part of a longer token stay as they are, so log lines can be matched to messages: ActiveMQ
 * ids ({@code ID:host-41925-1733046733412-1:1:1:1:1}), UUIDs ({@code 01912729-1111-7000-a000-000000000001}),
 * Camel exchange ids, hex strings and generated names with letters in them, {@code kazinfoteh:12345678901},
 * decimals. Shorter numbers (ports, counts, statuses, ISO timestamps' parts) are left alone. A 10 to 15 digit
 * number standing alone cannot be told from a phone, so epoch milliseconds in {@code id=1733046733412} or a Green
 * API {@code "idInstance":1101000001} are masked too: the customer's number comes first.
 */
public class PhoneMaskingConverter extends MessageConverter {

    /** What makes a token: a number next to one of these is part of a longer one. */
    private static final String WORD = "[\\p{L}\\p{N}_]";
    /** What joins two parts of one token ({@code host-123}, {@code ID:123}, {@code 1.5}). */
    private static final String JOINER = "[-:.]";

    private static final Pattern PHONE = Pattern.compile(
            "(?<!" + WORD + ")(?<!" + WORD + JOINER + ")"
                    + "(\\+|%2[Bb])?([0-9]{6,11})([0-9]{4})"
                    + "(?!" + WORD + ")"
                    + "(?:(?!" + JOINER + WORD + ")|(?=[-:.][0-9.:-]*@(?:c\\.us|g\\.us|s\\.whatsapp\\.net)\\b))");

    @Override
    public String convert(ILoggingEvent event) {
        return mask(super.convert(event));
    }

    public static String mask(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        Matcher matcher = PHONE.matcher(text);
        if (!matcher.find()) {
            return text;
        }
        StringBuilder masked = new StringBuilder(text.length());
        do {
            String prefix = matcher.group(1) == null ? "" : matcher.group(1);
            matcher.appendReplacement(masked, "*".repeat(prefix.length() + matcher.group(2).length())
                    + matcher.group(3));
        } while (matcher.find());
        matcher.appendTail(masked);
        return masked.toString();
    }
}
