package org.wagateway.ops;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The log message with every phone-like number masked but its last 4 digits ({@code 77776662222} →
 * {@code *******2222}, {@code 79001234568@c.us} → {@code *******4568@c.us}), whoever logged it: our code, Camel
 * or a library. Installed for {@code %m}/{@code %msg} in {@code logback-spring.xml}. A run of 8 to 15 digits
 * counts as a phone; shorter numbers (ports, counts, statuses) are left alone.
 */
public class PhoneMaskingConverter extends MessageConverter {

    private static final Pattern PHONE = Pattern.compile("(?<![0-9])(\\+?)([0-9]{4,11})([0-9]{4})(?![0-9])");

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
            matcher.appendReplacement(masked, "*".repeat(matcher.group(1).length() + matcher.group(2).length())
                    + matcher.group(3));
        } while (matcher.find());
        matcher.appendTail(masked);
        return masked.toString();
    }
}
