package dev.handoff.core;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** The kinds of form the policy's catalogue can list (PRODUCT §2.1). */
public enum FormType {
    NEWSLETTER("newsletter"),
    CONTENT("content"),
    CONTACT_SALES("contact-sales"),
    DEMO_REQUEST("demo-request"),
    QUOTE_REQUEST("quote-request"),
    EVENT_REGISTRATION("event-registration");

    private final String id;

    FormType(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Optional<FormType> fromId(String id) {
        for (FormType t : values()) {
            if (t.id.equals(id)) return Optional.of(t);
        }
        return Optional.empty();
    }

    public static String allIds() {
        return Arrays.stream(values()).map(FormType::id).collect(Collectors.joining(", "));
    }
}
