package org.wagateway.canonical;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A shared location; coordinates are numbers even where the provider sends strings. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Location(Double latitude, Double longitude, String address, String name) {
}
