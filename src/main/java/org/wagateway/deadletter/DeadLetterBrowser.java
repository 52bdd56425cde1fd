package org.wagateway.deadletter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.stereotype.Component;
import org.wagateway.flow.ExchangeContract.Header;

/**
 * Reads dead letters without taking them: a page of a queue's messages, each as a summary (who sent it, why it is
 * there, what the CRM answered), and one message with its canonical JSON. A browse, so it reads an external broker
 * as the embedded one; the broker stops a browse at its {@code maxBrowsePageSize} (400 by default), so pages past
 * that are empty although the queue's depth says more wait.
 */
@Component
public class DeadLetterBrowser {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JmsTemplate jms;

    public DeadLetterBrowser(ConnectionFactory connectionFactory) {
        this.jms = new JmsTemplate(connectionFactory);
    }

    /** Up to {@code size} summaries, after the first {@code skip} messages, oldest first. */
    public List<Map<String, Object>> page(String queue, int skip, int size) {
        List<Map<String, Object>> page = jms.browse(queue, (session, browser) -> {
            List<Map<String, Object>> found = new ArrayList<>();
            Enumeration<?> messages = browser.getEnumeration();
            for (int i = 0; messages.hasMoreElements() && found.size() < size; i++) {
                Message message = (Message) messages.nextElement();
                if (i >= skip) {
                    found.add(summary(message));
                }
            }
            return found;
        });
        return page == null ? List.of() : page;
    }

    /** The message of this JMS message id: its summary, every JMS property and its body (JSON when it is). */
    public Optional<Map<String, Object>> one(String queue, String messageId) {
        List<Map<String, Object>> found = jms.browseSelected(queue, DeadLetterMover.idsSelector(List.of(messageId)),
                (session, browser) -> {
                    Enumeration<?> messages = browser.getEnumeration();
                    if (!messages.hasMoreElements()) {
                        return List.of();
                    }
                    Message message = (Message) messages.nextElement();
                    Map<String, Object> answer = new LinkedHashMap<>(summary(message));
                    Map<String, Object> properties = new TreeMap<>();
                    for (Object name : Collections.list(message.getPropertyNames())) {
                        properties.put((String) name, message.getObjectProperty((String) name));
                    }
                    answer.put("properties", properties);
                    answer.put("body", body(message));
                    return List.of(answer);
                });
        return found == null || found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /** Which of these ids are on the queue now. */
    public List<String> present(String queue, Collection<String> messageIds) {
        List<String> found = jms.browseSelected(queue, DeadLetterMover.idsSelector(messageIds), (session, browser) -> {
            List<String> ids = new ArrayList<>();
            for (Object next : Collections.list(browser.getEnumeration())) {
                ids.add(((Message) next).getJMSMessageID());
            }
            return ids;
        });
        return found == null ? List.of() : found;
    }

    private static Map<String, Object> summary(Message message) throws JMSException {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("messageId", message.getJMSMessageID());
        summary.put("canonicalId", message.getJMSCorrelationID());
        summary.put("provider", message.getStringProperty(Header.PROVIDER));
        summary.put("type", message.getStringProperty(Header.TYPE));
        summary.put("reason", message.getStringProperty(Header.DEAD_LETTER_REASON));
        summary.put("route", message.getStringProperty(Header.DEAD_LETTER_ROUTE));
        summary.put("attempts", message.getStringProperty(Header.DEAD_LETTER_ATTEMPTS));
        String at = message.getStringProperty(Header.DEAD_LETTER_AT);
        summary.put("deadLetteredAt", at != null ? at
                : message.getJMSTimestamp() > 0 ? Instant.ofEpochMilli(message.getJMSTimestamp()).toString() : null);
        summary.put("crmStatus", message.getStringProperty(Header.DEAD_LETTER_HTTP_STATUS));
        summary.put("crmAnswer", message.getStringProperty(Header.DEAD_LETTER_HTTP_BODY));
        summary.put("replayedFrom", message.getStringProperty(Header.REPLAYED_FROM));
        return summary;
    }

    private static Object body(Message message) throws JMSException {
        if (!(message instanceof TextMessage text) || text.getText() == null) {
            return null;
        }
        try {
            JsonNode tree = JSON.readTree(text.getText());
            return tree == null ? text.getText() : tree;
        } catch (IOException e) {
            return text.getText();
        }
    }
}
