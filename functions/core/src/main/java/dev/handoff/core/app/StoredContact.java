package dev.handoff.core.app;

import dev.handoff.core.Contact;
import dev.handoff.core.SignalTally;
import dev.handoff.core.policy.Policy;

/**
 * A contact as stored, with the version that guards its stage against concurrent moves (0: no profile yet), and
 * what its signals add up to.
 *
 * @param tally the contact's signals as the store keeps them (its own and its linked visitors'), or null when the
 *     store keeps every signal in {@code contact.signals()}. When set, {@code contact.signals()} holds only the
 *     tally's kept signals.
 */
public record StoredContact(Contact contact, long version, SignalTally tally) {

    /** A contact whose every signal is in {@code contact.signals()}. */
    public StoredContact(Contact contact, long version) {
        this(contact, version, null);
    }

    /** The tally to score the contact with under {@code policy}. */
    public SignalTally tallyUnder(Policy policy) {
        return tally != null ? tally : policy.tallyOf(contact.signals());
    }
}
