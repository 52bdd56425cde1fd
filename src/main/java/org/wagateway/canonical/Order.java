package org.wagateway.canonical;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * An order the customer placed from our catalog ({@code type: order}): the catalog, the customer's note with it
 * ({@code text}) and the products, each with its quantity and its price per item as the customer saw it.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Order(String catalogId, String text, List<Item> productItems) {

    /** One product of the order: our own retailer id of it, how many, the price of one, and its currency. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Item(String productRetailerId, Integer quantity, Double itemPrice, String currency) {
    }
}
