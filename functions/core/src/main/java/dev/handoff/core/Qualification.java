package dev.handoff.core;

/**
 * The highest stage the policy's rules put a contact in, and the rule that put it there.
 *
 * @param rule the policy rule's name, e.g. {@code fast-track.high-intent-form}
 * @param detail a sentence for people, e.g. "demo-request form from an ICP fit contact (fit 85)"
 * @param owner the sales owner named by the signals, when known (null otherwise)
 */
public record Qualification(Stage stage, Reason reason, String rule, String detail, String owner) {}
