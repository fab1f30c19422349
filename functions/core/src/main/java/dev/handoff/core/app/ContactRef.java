package dev.handoff.core.app;

import dev.handoff.core.Contact;

/** Who a signal is about: a known person by email, or an anonymous visitor by tracking cookie. */
public sealed interface ContactRef {
    record ByEmail(String email) implements ContactRef {
        public ByEmail {
            email = Contact.normalizeEmail(email);
        }
    }

    record ByVisitor(String visitorId) implements ContactRef {}
}
