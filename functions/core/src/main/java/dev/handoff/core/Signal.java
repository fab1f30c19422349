package dev.handoff.core;

import java.net.URI;
import java.time.Instant;
import java.util.Objects;

/**
 * Something a contact did, or sales did with them, that the policy may score. Every signal carries the id that
 * makes it count once (a tracking {@code eventId} or a form {@code submissionId}) and when it happened.
 */
public sealed interface Signal {
    String id();

    Instant occurredAt();

    SignalType type();

    /** A page view. Only the path is kept: query strings can carry personal data, and categories match on paths. */
    record PageViewed(String id, Instant occurredAt, String path) implements Signal {
        public PageViewed {
            requireBasics(id, occurredAt);
            Objects.requireNonNull(path, "path");
        }

        /** Reduces a full or relative URL to its path ("/pricing/teams"); an unparseable URL keeps what precedes '?' or '#'. */
        public static String pathOf(String url) {
            if (url == null) return "/";
            try {
                URI uri = URI.create(url.trim());
                String path = uri.getRawPath();
                return path == null || path.isEmpty() ? "/" : path;
            } catch (IllegalArgumentException e) {
                String s = url.trim();
                int cut = s.length();
                for (char c : new char[] {'?', '#'}) {
                    int i = s.indexOf(c);
                    if (i >= 0 && i < cut) cut = i;
                }
                return s.substring(0, cut);
            }
        }

        public SignalType type() {
            return SignalType.PAGE_VIEWED;
        }
    }

    record SessionStarted(String id, Instant occurredAt) implements Signal {
        public SessionStarted {
            requireBasics(id, occurredAt);
        }

        public SignalType type() {
            return SignalType.SESSION_STARTED;
        }
    }

    record EmailOpened(String id, Instant occurredAt, String campaignId) implements Signal {
        public EmailOpened {
            requireBasics(id, occurredAt);
        }

        public SignalType type() {
            return SignalType.EMAIL_OPENED;
        }
    }

    record EmailClicked(String id, Instant occurredAt, String campaignId, String link) implements Signal {
        public EmailClicked {
            requireBasics(id, occurredAt);
        }

        public SignalType type() {
            return SignalType.EMAIL_CLICKED;
        }
    }

    /** {@code assetType} is lower-cased: whitepaper, datasheet, case-study, ebook or another word. */
    record ContentDownloaded(String id, Instant occurredAt, String assetId, String assetType, boolean gated)
            implements Signal {
        public ContentDownloaded {
            requireBasics(id, occurredAt);
            assetType = assetType == null ? "" : assetType.trim().toLowerCase(java.util.Locale.ROOT);
        }

        public SignalType type() {
            return SignalType.CONTENT_DOWNLOADED;
        }
    }

    record WebinarAttended(String id, Instant occurredAt, String webinarId) implements Signal {
        public WebinarAttended {
            requireBasics(id, occurredAt);
        }

        public SignalType type() {
            return SignalType.WEBINAR_ATTENDED;
        }
    }

    record MeetingBooked(String id, Instant occurredAt, String owner, Instant startsAt) implements Signal {
        public MeetingBooked {
            requireBasics(id, occurredAt);
        }

        public SignalType type() {
            return SignalType.MEETING_BOOKED;
        }
    }

    /** {@code activityType} is call, meeting or email. */
    record SalesActivityLogged(String id, Instant occurredAt, String activityType, String owner) implements Signal {
        public SalesActivityLogged {
            requireBasics(id, occurredAt);
        }

        public SignalType type() {
            return SignalType.SALES_ACTIVITY_LOGGED;
        }
    }

    record SalesAccepted(String id, Instant occurredAt, String owner) implements Signal {
        public SalesAccepted {
            requireBasics(id, occurredAt);
        }

        public SignalType type() {
            return SignalType.SALES_ACCEPTED;
        }
    }

    /** The form type is captured when the form is posted, so a later catalogue edit does not rewrite history. */
    record FormSubmitted(String id, Instant occurredAt, String formId, FormType formType) implements Signal {
        public FormSubmitted {
            requireBasics(id, occurredAt);
            Objects.requireNonNull(formId, "formId");
            Objects.requireNonNull(formType, "formType");
        }

        public SignalType type() {
            return SignalType.FORM_SUBMITTED;
        }
    }

    private static void requireBasics(String id, Instant occurredAt) {
        if (id == null || id.isBlank()) throw new IllegalArgumentException("a signal needs an id");
        Objects.requireNonNull(occurredAt, "occurredAt");
    }
}
