package dev.handoff.aws;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;

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

    /**
     * Reads one JSON value as a plain tree (maps, lists, strings, numbers, booleans) and refuses anything after it
     * but whitespace: {@code {...} trailing} or {@code {...}{...}} is not one JSON document, whatever jackson-jr
     * would make of its first part.
     *
     * @throws IOException for text that is not exactly one JSON value (a {@link JsonParseException} with the location)
     */
    public static Object strictly(String text) throws IOException {
        try (JsonParser parser = JR.createParser(text)) {
            Object value = JR.anyFrom(parser);
            if (parser.nextToken() != null) throw new JsonParseException(parser, "content after the JSON value");
            return value;
        }
    }
}
