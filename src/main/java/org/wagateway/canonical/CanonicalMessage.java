package org.wagateway.canonical;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * The one message every provider's webhook becomes. Field names are a public contract (JMS consumers and
 * the CRM read them): see README and {@code schema/canonical-message.schema.json}.
 *
 * <p>{@code id} is {@code <provider>:<provider message id>}. Notifications whose provider id repeats for each
 * step (a status of one message, the stages of one call) add the step, e.g.
 * {@code greenapi:3EB0608D6A2901063D63:status:delivered}, so that each step is delivered once and only once.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"schemaVersion", "id", "provider", "providerMessageId", "kind", "type", "direction",
        "receivedAt", "channel", "channelId", "chat", "sender", "text", "caption", "media", "location", "contacts",
        "interactive", "quoted", "reaction", "poll", "edit", "delete", "groupInvite", "order", "forwarded",
        "frequentlyForwarded", "forwardingScore", "referral", "linkPreview", "errors", "status", "event", "raw"})
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
    private String channelId;
    private Chat chat;
    private Sender sender;
    private String text;
    private String caption;
    private Media media;
    private Location location;
    private List<Contact> contacts;
    private Interactive interactive;
    private Quoted quoted;
    private Reaction reaction;
    private Poll poll;
    private Edit edit;
    private Delete delete;
    private GroupInvite groupInvite;
    private Order order;
    private Boolean forwarded;
    private Boolean frequentlyForwarded;
    private Integer forwardingScore;
    private Referral referral;
    private LinkPreview linkPreview;
    private List<ProviderError> errors;
    private Status status;
    private Event event;
    private JsonNode raw;

    /** Starts a message with its identity: {@code id} is {@code <provider>:<provider message id>}. */
    public static CanonicalMessage of(String provider, String providerMessageId) {
        CanonicalMessage message = new CanonicalMessage();
        message.provider = provider;
        message.providerMessageId = providerMessageId;
        message.id = provider + ":" + providerMessageId;
        return message;
    }

    /** The chat's id or null: the JMS property {@code chatId}, not a JSON field. */
    @JsonIgnore
    public String getChatId() {
        return chat == null ? null : chat.id();
    }

    /** The sender's id or null: the JMS property {@code senderId}, not a JSON field. */
    @JsonIgnore
    public String getSenderId() {
        return sender == null ? null : sender.id();
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
    /**
     * The provider's own id of our number where it is not the number itself (Meta's phone_number_id): what a
     * reply is sent from, so that a consumer can answer without a table of its own from number to id.
     */
    public String getChannelId() { return channelId; }
    public void setChannelId(String channelId) { this.channelId = channelId; }
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
    public Quoted getQuoted() { return quoted; }
    public void setQuoted(Quoted quoted) { this.quoted = quoted; }
    public Reaction getReaction() { return reaction; }
    public void setReaction(Reaction reaction) { this.reaction = reaction; }
    public Poll getPoll() { return poll; }
    public void setPoll(Poll poll) { this.poll = poll; }
    public Edit getEdit() { return edit; }
    public void setEdit(Edit edit) { this.edit = edit; }
    public Delete getDelete() { return delete; }
    public void setDelete(Delete delete) { this.delete = delete; }
    public GroupInvite getGroupInvite() { return groupInvite; }
    public void setGroupInvite(GroupInvite groupInvite) { this.groupInvite = groupInvite; }
    public Order getOrder() { return order; }
    public void setOrder(Order order) { this.order = order; }
    /** Whether WhatsApp marked the message as forwarded; null when the provider does not say. */
    public Boolean getForwarded() { return forwarded; }
    public void setForwarded(Boolean forwarded) { this.forwarded = forwarded; }
    /** Whether WhatsApp marked the message as forwarded many times (Meta frequently_forwarded). */
    public Boolean getFrequentlyForwarded() { return frequentlyForwarded; }
    public void setFrequentlyForwarded(Boolean frequentlyForwarded) { this.frequentlyForwarded = frequentlyForwarded; }
    /** How many times the message was forwarded on its way, where the provider says. */
    public Integer getForwardingScore() { return forwardingScore; }
    public void setForwardingScore(Integer forwardingScore) { this.forwardingScore = forwardingScore; }
    public Referral getReferral() { return referral; }
    public void setReferral(Referral referral) { this.referral = referral; }
    public LinkPreview getLinkPreview() { return linkPreview; }
    public void setLinkPreview(LinkPreview linkPreview) { this.linkPreview = linkPreview; }
    /** What the provider reports as wrong with this message (Meta: a type it does not support). */
    public List<ProviderError> getErrors() { return errors; }
    public void setErrors(List<ProviderError> errors) { this.errors = errors; }
    public Status getStatus() { return status; }
    public void setStatus(Status status) { this.status = status; }
    public Event getEvent() { return event; }
    public void setEvent(Event event) { this.event = event; }
    public JsonNode getRaw() { return raw; }
    public void setRaw(JsonNode raw) { this.raw = raw; }
}
