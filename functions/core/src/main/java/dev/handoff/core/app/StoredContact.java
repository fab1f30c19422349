package dev.handoff.core.app;

import dev.handoff.core.Contact;

/** A contact as stored, with the version that guards its stage against concurrent moves (0: no profile yet). */
public record StoredContact(Contact contact, long version) {}
