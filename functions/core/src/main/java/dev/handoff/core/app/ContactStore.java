package dev.handoff.core.app;

import dev.handoff.core.StageMove;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where contacts live. Implementations make each method atomic: it happens whole or not at all.
 *
 * <p>An {@code email} here is the {@link dev.handoff.core.EmailAddress#value()} of an address parsed where it
 * entered, so stores key contacts by it as it is, without normalising it again.
 */
public interface ContactStore {

    /** Records a tracking signal; false when a signal with that id was already recorded for that contact or visitor. */
    boolean recordSignal(ContactRef who, dev.handoff.core.Signal signal);

    /**
     * Records a form post: its properties on the contact, its signal, and the link from its visitor id to the
     * contact. False, and nothing written, when that submission id was already recorded.
     */
    boolean recordSubmission(FormSubmission submission);

    /** The contact with every signal that counts for it, its own and those of its linked visitor ids. */
    Optional<StoredContact> load(String email);

    /** The email a visitor id has been linked to by a form post, if any. */
    Optional<String> emailOfVisitor(String visitorId);

    /**
     * Appends stage moves, and the alert when the last move enters SQL, if the contact is still at
     * {@code expectedVersion}. False, and nothing written, when it changed in the meantime.
     */
    boolean recordMoves(String email, long expectedVersion, List<StageMove> moves, SqlAlert alert);

    /**
     * Sets properties on the contact, creating its profile when there is none, and bumps its version (so that a
     * stage move decided on the old properties is not recorded). Returns the new version.
     */
    long recordProperties(String email, Map<String, String> properties);

    /** The deals made for the contact's moves into SQL, oldest first; empty when there are none. */
    List<Deal> deals(String email);

    /**
     * Removes every item held about the person: the profile, its signals, alerts and deals, and each visitor id
     * still linked to it with that visitor's signals (a visitor id linked to someone else since is theirs and
     * stays). Returns how many items were removed; 0 when nothing was known.
     */
    int erase(String email);
}
