package org.wagateway.canonical;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What became of an attachment's download. {@code stored}: the gateway holds a copy (see {@link Media#url()});
 * {@code failed}: the provider's link did not give the file (HTTP error, timeout, ...); {@code too_large}: the
 * file exceeds {@code gateway.media.max-bytes}; {@code refused}: the link points somewhere the gateway will not
 * go (scheme, host not on the allow-list, private address). Absent while nothing was tried.
 */
public enum MediaStatus {
    STORED, FAILED, TOO_LARGE, REFUSED;

    /** The JSON name, also what Camel's simple language prints. */
    @JsonValue
    @Override
    public String toString() {
        return name().toLowerCase();
    }
}
