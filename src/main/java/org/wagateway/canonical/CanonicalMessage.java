package org.wagateway.canonical;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * The one message every provider's webhook becomes. Field names are a public contract (JMS consumers and
 * the CRM read them): see README and {@code schema/canonical-message.schema.json}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"schemaVersion", "id", "provider", "providerMessageId", "kind", "type", "direction",
        "receivedAt", "channel", "chat", "sender", "text", "caption", "media", "location", "contacts",
        "interactive", "raw"})
public class CanonicalMessage {

    public static final int SCHEMA_VERSION = 1;

    private int schemaVersion = SCHEMA_VERSION;
    private String id;
    private String provider;
    private String providerMessageId;
    private Kind kind;
    private MessageType type;
    private Direction direction;
    private Instant receivedAt;
    private String channel;
    private Chat chat;
    private Sender sender;
    private String text;
    private String caption;
    private Media media;
    private Location location;
    private List<Contact> contacts;
    private Interactive interactive;
    private JsonNode raw;

    /** Starts a message with its identity: {@code id} is {@code <provider>:<provider message id>}. */
    public static CanonicalMessage of(String provider, String providerMessageId) {
        CanonicalMessage message = new CanonicalMessage();
        message.provider = provider;
        message.providerMessageId = providerMessageId;
        message.id = provider + ":" + providerMessageId;
        return message;
    }

    public int getSchemaVersion() { return schemaVersion; }
    public void setSchemaVersion(int schemaVersion) { this.schemaVersion = schemaVersion; }
    public String getId() { return id; }
    public void setId(String id) { this.id = id; }
    public String getProvider() { return provider; }
    public void setProvider(String provider) { this.provider = provider; }
    public String getProviderMessageId() { return providerMessageId; }
    public void setProviderMessageId(String providerMessageId) { this.providerMessageId = providerMessageId; }
    public Kind getKind() { return kind; }
    public void setKind(Kind kind) { this.kind = kind; }
    public MessageType getType() { return type; }
    public void setType(MessageType type) { this.type = type; }
    public Direction getDirection() { return direction; }
    public void setDirection(Direction direction) { this.direction = direction; }
    public Instant getReceivedAt() { return receivedAt; }
    public void setReceivedAt(Instant receivedAt) { this.receivedAt = receivedAt; }
    public String getChannel() { return channel; }
    public void setChannel(String channel) { this.channel = channel; }
    public Chat getChat() { return chat; }
    public void setChat(Chat chat) { this.chat = chat; }
    public Sender getSender() { return sender; }
    public void setSender(Sender sender) { this.sender = sender; }
    public String getText() { return text; }
    public void setText(String text) { this.text = text; }
    public String getCaption() { return caption; }
    public void setCaption(String caption) { this.caption = caption; }
    public Media getMedia() { return media; }
    public void setMedia(Media media) { this.media = media; }
    public Location getLocation() { return location; }
    public void setLocation(Location location) { this.location = location; }
    public List<Contact> getContacts() { return contacts; }
    public void setContacts(List<Contact> contacts) { this.contacts = contacts; }
    public Interactive getInteractive() { return interactive; }
    public void setInteractive(Interactive interactive) { this.interactive = interactive; }
    public JsonNode getRaw() { return raw; }
    public void setRaw(JsonNode raw) { this.raw = raw; }
}
