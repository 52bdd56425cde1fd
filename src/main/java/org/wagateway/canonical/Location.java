package org.wagateway.canonical;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A shared location; coordinates are numbers even where the provider sends strings. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Location(Double latitude, Double longitude, String address, String name) {

    /** A coordinate that is not a real position (NaN, infinite, out of range) is dropped, not passed on. */
    public Location {
        latitude = within(latitude, 90);
        longitude = within(longitude, 180);
    }

    private static Double within(Double value, double limit) {
        return value != null && Double.isFinite(value) && Math.abs(value) <= limit ? value : null;
    }
}
