package org.wagateway.canonical;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A poll ({@code type: poll}) or a change of its votes ({@code type: poll_update}): the question, its options,
 * whether several may be chosen, and for an update the id of the poll message and who now votes for what.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Poll(String question, List<String> options, Boolean multipleAnswers, String pollMessageId,
                   List<Vote> votes) {

    /** The voters (provider ids, e.g. {@code 79001234568@c.us}) of one option, as they stand now. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Vote(String option, List<String> voters) {
    }
}
