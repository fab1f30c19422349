package dev.handoff.aws;

import com.fasterxml.jackson.jr.ob.JSON;

/** The one configured jackson-jr instance the functions read and write JSON with, and its whitespace rule. */
public final class Json {
    /** jackson-jr as databind behaved here: a repeated field's last value wins; a null value is written. */
    public static final JSON JR = JSON.std
            .with(JSON.Feature.WRITE_NULL_PROPERTIES)
            .without(JSON.Feature.FAIL_ON_DUPLICATE_MAP_KEYS);

    private Json() {}

    /** Whether the text is only JSON whitespace (space, tab, line feed, carriage return), so no content at all. */
    public static boolean isBlankJson(String s) {
        return s.chars().allMatch(ch -> ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r');
    }
}
