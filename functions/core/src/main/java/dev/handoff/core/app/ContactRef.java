package dev.handoff.core.app;

import dev.handoff.core.EmailAddress;
import dev.handoff.core.VisitorId;
import java.util.Objects;

/** Who a signal is about: a known person by email, or an anonymous visitor by tracking cookie. */
public sealed interface ContactRef {
    record ByEmail(EmailAddress email) implements ContactRef {
        public ByEmail {
            Objects.requireNonNull(email, "email");
        }
    }

    record ByVisitor(VisitorId visitorId) implements ContactRef {
        public ByVisitor {
            Objects.requireNonNull(visitorId, "visitorId");
        }
    }
}
