package dev.handoff.core.archfixture;

/** Test fixture only: a class in the core's package tree that depends on a library outside the allowed ones. */
public final class LeakyClass {
    private LeakyClass() {}

    public static void touch() {
        org.junit.jupiter.api.Assertions.fail("never called");
    }
}
