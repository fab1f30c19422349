package dev.handoff.functions.slack;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SlackTextTest {
    private static final String ZWJ = SlackText.ZERO_WIDTH_JOINER;

    @Test
    void slacks_three_control_characters_become_entities_and_nothing_else_changes() {
        assertThat(SlackText.escape("AT&T <b> Zoë 🌊 *bold* _it_")).isEqualTo("AT&amp;T &lt;b&gt; Zoë 🌊 *bold* _it_");
    }

    @Test
    void special_mentions_user_mentions_and_links_come_out_as_text() {
        assertThat(SlackText.escape("<!channel>")).isEqualTo("&lt;!channel&gt;");
        assertThat(SlackText.escape("<@U123>")).isEqualTo("&lt;@U123&gt;");
        assertThat(SlackText.escape("<https://x|y>")).isEqualTo("&lt;https://x|y&gt;");
        assertThat(SlackText.escape("<!subteam^S42|@sales>")).isEqualTo("&lt;!subteam^S42|@sales&gt;");
    }

    @Test
    void an_entity_typed_by_the_contact_stays_as_typed() {
        assertThat(SlackText.escape("&lt;!here&gt;")).isEqualTo("&amp;lt;!here&amp;gt;");
    }

    @Test
    void bare_broadcast_mentions_get_a_zero_width_joiner_after_the_at_sign() {
        assertThat(SlackText.escape("@here")).isEqualTo("@" + ZWJ + "here");
        assertThat(SlackText.escape("hi @Channel!")).isEqualTo("hi @" + ZWJ + "Channel!");
        assertThat(SlackText.escape("(@everyone)")).isEqualTo("(@" + ZWJ + "everyone)");
    }

    @Test
    void addresses_and_longer_words_are_left_alone() {
        assertThat(SlackText.escape("ana@here.com")).isEqualTo("ana@here.com");
        assertThat(SlackText.escape("@heredia @channels @here_team")).isEqualTo("@heredia @channels @here_team");
    }

    @Test
    void line_breaks_and_control_characters_become_single_spaces() {
        assertThat(SlackText.escape("  Ana\n\n*Reason*\r\n\tmanual\u2028x\u0000y  ")).isEqualTo("Ana *Reason* manual x y");
    }

    @Test
    void a_cut_keeps_whole_entities_and_surrogate_pairs_and_ends_with_an_ellipsis() {
        assertThat(SlackText.escape("abcdef", 6)).isEqualTo("abcdef");
        assertThat(SlackText.escape("abcdefg", 6)).isEqualTo("abcde…");
        assertThat(SlackText.escape("ab&cd", 6)).isEqualTo("ab…");
        assertThat(SlackText.escape("ab&cd", 8)).isEqualTo("ab&amp;…");
        assertThat(SlackText.escape("a🌊🌊🌊", 4)).isEqualTo("a🌊…");
        assertThat(SlackText.escape("x".repeat(10_000), 300)).hasSize(300).endsWith("…");
    }

    @Test
    void null_is_the_empty_string() {
        assertThat(SlackText.escape(null)).isEmpty();
        assertThat(SlackText.present(null)).isFalse();
        assertThat(SlackText.present(" \n ")).isFalse();
    }
}
