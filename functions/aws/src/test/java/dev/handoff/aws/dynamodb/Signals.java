package dev.handoff.aws.dynamodb;

import dev.handoff.core.FormType;
import dev.handoff.core.Signal;
import java.time.Instant;
import java.util.List;

/** One signal of every kind, with millisecond times (the precision a signal item keeps). */
final class Signals {
    static final Instant T0 = Instant.parse("2026-11-02T09:00:00.123Z");

    private Signals() {}

    static List<Signal> everyKind(String idPrefix, Instant from) {
        return List.of(
                new Signal.PageViewed(idPrefix + "pv", from.plusSeconds(1), "/pricing/teams"),
                new Signal.SessionStarted(idPrefix + "ss", from.plusSeconds(2)),
                new Signal.EmailOpened(idPrefix + "eo", from.plusSeconds(3), "cmp-spring-launch"),
                new Signal.EmailClicked(idPrefix + "ec", from.plusSeconds(4), "cmp-spring-launch", "https://acme.example/launch"),
                new Signal.EmailClicked(idPrefix + "ec-nolink", from.plusSeconds(5), "cmp-spring-launch", null),
                new Signal.ContentDownloaded(idPrefix + "cd", from.plusSeconds(6), "wp-42", "whitepaper", true),
                new Signal.ContentDownloaded(idPrefix + "cd-open", from.plusSeconds(7), "ds-7", "datasheet", false),
                new Signal.WebinarAttended(idPrefix + "wa", from.plusSeconds(8), "web-2026-11"),
                new Signal.MeetingBooked(idPrefix + "mb", from.plusSeconds(9), "sam.seller", from.plusSeconds(86_400)),
                new Signal.MeetingBooked(idPrefix + "mb-bare", from.plusSeconds(10), null, null),
                new Signal.SalesActivityLogged(idPrefix + "sa", from.plusSeconds(11), "call", "sam.seller"),
                new Signal.SalesAccepted(idPrefix + "acc", from.plusSeconds(12), "sam.seller"),
                new Signal.FormSubmitted(idPrefix + "fs", from.plusSeconds(13), "content-download", FormType.CONTENT));
    }
}
