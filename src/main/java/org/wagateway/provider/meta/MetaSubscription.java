package org.wagateway.provider.meta;

import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;
import org.wagateway.webhook.WebhookException;

/**
 * Answers Meta's subscription handshake: the challenge, echoed as plain text. The verify token was checked at the
 * front door ({@link MetaWebhook}); only a challenge of a harmless shape is echoed (Meta sends digits), so the
 * endpoint cannot be made to answer text of a caller's choosing.
 */
@Component("metaSubscription")
public class MetaSubscription {

    static final String CHALLENGE = "hub.challenge";
    private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9._~-]{1,256}");

    public void answer(Exchange exchange) {
        Message message = exchange.getMessage();
        String challenge = message.getHeader(CHALLENGE, String.class);
        if (challenge == null || !SHAPE.matcher(challenge).matches()) {
            throw new WebhookException(400, "invalid_challenge",
                    "hub.challenge must be 1 to 256 letters, digits, '.', '_', '~' or '-'");
        }
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        message.setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=UTF-8");
        message.setBody(challenge);
    }
}
