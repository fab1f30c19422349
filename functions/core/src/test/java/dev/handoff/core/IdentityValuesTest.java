package dev.handoff.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class IdentityValuesTest {
    static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

    @Test
    void an_email_is_trimmed_of_the_whitespace_a_browser_trims_and_lower_cased_once() {
        assertThat(EmailAddress.parse("  Ana.Silva+news@ACME.com\r\n").value()).isEqualTo("ana.silva+news@acme.com");
        assertThat(EmailAddress.parse("o'brien@sub.acme-corp.co.uk").domain()).isEqualTo("sub.acme-corp.co.uk");
    }

    @Test
    void an_email_that_the_sales_api_could_not_look_up_is_refused_without_echoing_it() {
        String[] bad = {"", "   ", "ana", "ana@", "@acme.com", "ana@acme", "ana@acme_corp.com", "ana@acme.com.", "<ana>@acme.com",
            "<!channel>x@acme.com", "a,x@acme.com", "\"x\"@acme.com", "<script>x@acme.com", "a b@acme.com", "ana@@acme.com",
            "a@b@acme.com", ".ana@acme.com", "ana.@acme.com", "an..a@acme.com", "ana@-acme.com", "ana@acme-.com", "a/b@acme.com",
            "a%40b@acme.com", "a?b@acme.com", "a#b@acme.com", "ana@acme..com", "ana\u0000@acme.com", "ana\u0007@acme.com",
            "ana\u001b@acme.com", "ana\u007f@acme.com", "ana\u0085@acme.com", "ana\u2028@acme.com", "ana@acme.com\u0000",
            "ana\uD800@acme.com", "élodie@acme.com", "ana@acmé.com", "x".repeat(65) + "@acme.com",
            "a@" + "b".repeat(250) + ".com"};
        for (String s : bad) {
            assertThatThrownBy(() -> EmailAddress.parse(s)).as(s).isInstanceOf(InvalidValueException.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("acme"));
        }
        assertThatThrownBy(() -> EmailAddress.parse(null)).hasMessage("is required");
        assertThatThrownBy(() -> new EmailAddress("Ana@acme.com")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void an_email_never_shows_itself_in_a_log_by_accident() {
        assertThat(EmailAddress.parse("ana@acme.com").toString()).doesNotContain("ana").doesNotContain("acme");
    }

    @Test
    void a_visitor_id_is_8_to_128_letters_digits_underscores_or_hyphens() {
        assertThat(VisitorId.parse(" v-7f3a9c ").value()).isEqualTo("v-7f3a9c");
        assertThat(VisitorId.parse("A".repeat(128)).value()).hasSize(128);
        for (String s : new String[] {"short", "A".repeat(129), "v.7f3a9c.1", "v:7f3a9c", "v-7f3a9c\u0000", "vis tor-1", "visitør-1"}) {
            assertThatThrownBy(() -> VisitorId.parse(s)).as(s).isInstanceOf(InvalidValueException.class);
        }
    }

    @Test
    void an_activity_type_is_call_meeting_or_email() {
        assertThat(ActivityType.parse(" Meeting ")).isEqualTo(ActivityType.MEETING);
        assertThat(ActivityType.allIds()).isEqualTo("call, meeting or email");
        assertThatThrownBy(() -> ActivityType.parse("lunch")).hasMessage("must be call, meeting or email");
    }

    @Test
    void a_signal_time_allows_a_little_clock_skew_but_nothing_from_the_future_or_absurdly_old() {
        assertThat(SignalTime.parse("2026-11-28T12:04:59Z", NOW)).isEqualTo(Instant.parse("2026-11-28T12:04:59Z"));
        assertThat(SignalTime.parse("2026-11-28T13:00:00+01:00", NOW)).isEqualTo(Instant.parse("2026-11-28T12:00:00Z"));
        assertThat(SignalTime.parse("2023-01-01T00:00:00Z", NOW)).isEqualTo(Instant.parse("2023-01-01T00:00:00Z"));
        String[] bad = {"2026-11-28T12:05:01Z", "9999-01-01T00:00:00Z", "+1000000-01-01T00:00:00Z", "-999999999-01-01T00:00:00Z",
            "1970-01-01T00:00:00Z", "2026-11-28", "2026-11-28T12:00:00", "yesterday", "", "2026-13-01T00:00:00Z"};
        for (String s : bad) {
            assertThatThrownBy(() -> SignalTime.parse(s, NOW)).as(s).isInstanceOf(InvalidValueException.class);
        }
    }

    @Test
    void plain_text_refuses_control_characters_and_lone_surrogates_but_not_other_scripts_or_emoji() {
        assertThat(PlainText.problem("Zoë Ōsaka 👩‍💻 — O'Brien & Co.")).isNull();
        for (String s : new String[] {"a\u0000", "a\u0007b", "\u001b[31m", "a\u007f", "a\u0085", "a\u2028b", "a\u2029", "a\uD800",
            "\uDC00a", "a\nb", "a\tb"}) {
            assertThat(PlainText.problem(s)).as(s).isNotNull();
        }
    }
}
