package dev.handoff.core.policy;

/** A contact matching a knockout never becomes MQL or SQL automatically; a person still can move it. */
public record Knockout(String id, Condition condition) {}
