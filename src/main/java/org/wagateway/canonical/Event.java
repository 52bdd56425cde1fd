package org.wagateway.canonical;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What an event ({@code kind: event}) reports: the provider's {@code name} of it, a {@code state} where it has
 * one (the instance's authorization state, a chat's block state), and the details of a call or of the phone.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Event(String name, String state, Call call, Device device) {

    /** A voice or video call: who called ({@code from}), how it stands, and its length in seconds where known. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Call(String from, String status, Boolean video, Integer durationSeconds) {
    }

    /** The phone that runs our WhatsApp account, with its battery level in percent. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Device(String platform, String manufacturer, String model, String osVersion, String waVersion,
                         Integer battery) {
    }
}
