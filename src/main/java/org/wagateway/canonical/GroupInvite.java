package org.wagateway.canonical;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/** An invitation to join the group {@code groupId} with {@code inviteCode}, valid until {@code expiresAt}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GroupInvite(String groupId, String groupName, String inviteCode, Instant expiresAt) {
}
