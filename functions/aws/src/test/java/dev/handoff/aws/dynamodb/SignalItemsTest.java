package dev.handoff.aws.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.aws.ContactTable;
import dev.handoff.aws.SignalItems;
import dev.handoff.core.FormType;
import dev.handoff.core.Signal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class SignalItemsTest {
    private static final int WINDOW_DAYS = 30;

    @Test
    void every_kind_of_signal_reads_back_from_its_item_as_the_same_record() {
        for (Signal s : Signals.everyKind("e-", Signals.T0)) {
            Map<String, AttributeValue> item = SignalItems.toItem("C#ana@acme.com", s, WINDOW_DAYS);

            assertThat(SignalItems.fromItem(item)).as(s.type().id()).isEqualTo(s);
            assertThat(item.get(ContactTable.SK).s()).isEqualTo("E#" + s.id());
            assertThat(item.get(SignalItems.TYPE).s()).isEqualTo(s.type().id());
            assertThat(item.get(SignalItems.AT).n()).isEqualTo(Long.toString(s.occurredAt().toEpochMilli()));
        }
    }

    @Test
    void engagement_signals_expire_a_day_after_the_window_and_sales_facts_never_do() {
        for (Signal s : Signals.everyKind("e-", Signals.T0)) {
            Map<String, AttributeValue> item = SignalItems.toItem("C#ana@acme.com", s, WINDOW_DAYS);
            boolean salesFact = s instanceof Signal.MeetingBooked || s instanceof Signal.SalesActivityLogged
                    || s instanceof Signal.SalesAccepted;
            if (salesFact) {
                assertThat(item).as(s.type().id()).doesNotContainKey(ContactTable.TTL);
            } else {
                long expected = s.occurredAt().plus(Duration.ofDays(WINDOW_DAYS + 1)).getEpochSecond();
                assertThat(item.get(ContactTable.TTL).n()).as(s.type().id()).isEqualTo(Long.toString(expected));
            }
        }
    }

    @Test
    void a_typical_signal_item_takes_one_to_two_hundred_bytes() {
        StringBuilder report = new StringBuilder("signal items, typical sizes in bytes (uuid event id):");
        for (Signal s : Signals.everyKind("0b0e5f0c-6b1f-4a57-9d0e-5d2b8f0d2a", Signals.T0)) {
            int size = ItemSize.of(SignalItems.toItem("C#ana.lopez@acme-industries.example", s, WINDOW_DAYS));
            report.append(' ').append(s.id().substring(34)).append('=').append(size);
            assertThat(size).as(s.id()).isBetween(80, 220);
        }
        System.out.println(report);
    }

    @Test
    void the_largest_possible_signal_item_stays_under_one_kilobyte() {
        String email = "a".repeat(64) + "@" + "d".repeat(185) + ".com"; // 254 characters, the most an email may have
        String eventId = "e".repeat(128); // the longest event id the decoders accept
        String huge = "/" + "\u00e9".repeat(5_000); // two bytes a character
        Instant at = Signals.T0;
        List<Signal> worst = List.of(
                new Signal.PageViewed(eventId, at, huge),
                new Signal.EmailOpened(eventId, at, huge),
                new Signal.EmailClicked(eventId, at, huge, huge),
                new Signal.ContentDownloaded(eventId, at, huge, huge, true),
                new Signal.WebinarAttended(eventId, at, huge),
                new Signal.MeetingBooked(eventId, at, huge, at),
                new Signal.SalesActivityLogged(eventId, at, huge, huge),
                new Signal.SalesAccepted(eventId, at, huge),
                new Signal.FormSubmitted(eventId, at, huge, FormType.QUOTE_REQUEST));
        int largest = 0;
        for (Signal s : worst) {
            int size = ItemSize.of(SignalItems.toItem(ContactTable.contactKey(email), s, WINDOW_DAYS));
            assertThat(size).as(s.type().id()).isLessThan(1024);
            largest = Math.max(largest, size);
        }
        System.out.printf("signal items: largest possible item %d bytes (254-char email, 128-char event id, capped fields)%n", largest);
    }

    @Test
    void a_capped_value_is_never_cut_inside_a_character() {
        String emoji = "\uD83D\uDE00"; // 4 bytes, a surrogate pair
        assertThat(SignalItems.capped(emoji.repeat(10), 6)).isEqualTo(emoji);
        assertThat(SignalItems.capped("abc", 3)).isEqualTo("abc");
        assertThat(SignalItems.capped("/pricing/" + "x".repeat(1000), SignalItems.MAX_URL_BYTES))
                .startsWith("/pricing/").hasSize(SignalItems.MAX_URL_BYTES);
        assertThat(SignalItems.capped(null, 10)).isNull();
    }
}
