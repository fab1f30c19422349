package dev.handoff.functions.slack;

import java.time.Duration;

/** Waits between two attempts at the webhook. Tests pass one that records the waits instead of taking them. */
@FunctionalInterface
public interface Sleeper {

    /** The real one: the invocation's thread sleeps. */
    Sleeper THREAD = duration -> Thread.sleep(duration.toMillis());

    void sleep(Duration duration) throws InterruptedException;
}
