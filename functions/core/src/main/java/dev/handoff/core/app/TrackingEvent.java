package dev.handoff.core.app;

import dev.handoff.core.Signal;

/** A decoded tracking event: who it is about and the signal it carries (the signal's id is the eventId). */
public record TrackingEvent(ContactRef who, Signal signal) {}
