package dev.handoff.core.policy;

import java.util.List;

/** A policy file that cannot be used, with every problem found, each naming its path in the file. */
public final class InvalidPolicyException extends Exception {
    private final String source;
    private final List<String> errors;

    public InvalidPolicyException(String source, List<String> errors) {
        super("invalid policy " + source + ":\n  " + String.join("\n  ", errors));
        this.source = source;
        this.errors = List.copyOf(errors);
    }

    public String source() {
        return source;
    }

    /** Each problem as {@code path: what is wrong}, in the order of the file. */
    public List<String> errors() {
        return errors;
    }
}
