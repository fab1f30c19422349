package dev.handoff.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.core.Contact;
import dev.handoff.core.SignalTally;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.AfterFailureMode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The evaluator tests fit rules and knockouts on what it works out once per contact (issue 9); each condition holds
 * there exactly when {@link Condition#matches} says it does, for any contact, under the presets and a policy with
 * words and values outside ASCII. And {@link SignalTally#dayOf} is the UTC calendar day, as the date says.
 */
class FitFastPathPropertiesTest {

    private static final List<Policy> POLICIES = List.of(load("score-threshold", ""), load("sales-accepted", ""),
            load("sdr-meeting-booked", ""), load("score-threshold", """
                    - id: managing-director
                      property: jobtitle
                      containsWord: [geschäftsführer, "vice   president", straße]
                      points: 20
                    - id: dach
                      property: country
                      oneOf: [Österreich, Deutschland, " Schweiz "]
                      points: 5
                    - id: small-budget
                      property: budget
                      atMost: 9999.5
                      points: -5
                    - id: mid-market
                      property: numberofemployees
                      atLeast: 100
                      atMost: 5000
                      points: 5
                """));

    private static Policy load(String preset, String moreFitRules) {
        try (InputStream in = FitFastPathPropertiesTest.class.getClassLoader().getResourceAsStream("policies/" + preset + ".yaml")) {
            String yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            // The text block keeps the rules' indentation in the file (4 spaces before "- id").
            return PolicyLoader.parse(yaml.replace("fit:\n  rules:\n", "fit:\n  rules:\n" + moreFitRules), preset + " and more");
        } catch (IOException | InvalidPolicyException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    @Provide
    Arbitrary<Contact> contacts() {
        Arbitrary<String> numbers = Arbitraries.oneOf(
                Arbitraries.integers().between(0, 20_000).map(String::valueOf),
                Arbitraries.of("9", "10", "49", "50", "199", "200", "999", "1000", "1,000", "", " ", "n/a", " 75 ", "1e3",
                        "1_000", "9999.5", "9999.49", "-5", "12,345,678,901,234,567", "0x10", "NaN", "Infinity", ",", "٣٥٠"));
        Arbitrary<String> titles = Arbitraries.oneOf(
                Arbitraries.of("CEO", "VP Marketing", "Vice President", "vice \t  president", "Head of Data", "Director",
                        "Marketing Manager", "Team Lead", "Team Leader", "Headhunter", "Student", "Sales Intern",
                        "Software Engineer", "International Sales Director", "Chief of Staff", "", "Geschäftsführer",
                        "GESCHÄFTSFÜHRER", "Straße-Meister", "ſtudent", "Head² of Sales", "co-CEO", "CTO/CFO", "vp."),
                Arbitraries.strings().withChars("abcdeilnoprstuvCEHIOPSTV ßä-²\t").ofMaxLength(24));
        Arbitrary<String> words = Arbitraries.of("software", "SaaS", " fintech ", "ECOMMERCE", "retail", "", "Österreich",
                "ÖSTERREICH", "deutschland", "Schweiz", "schweiz ");
        Arbitrary<String> emails = Arbitraries.of("ana@acme.com", "bo@globex.com", "spy@rival.io", "pat@gmail.com",
                "lee@example.org", "dan@eu.acme.com", "odd@", "ACME@ACME.COM");
        return Combinators.combine(emails, numbers.injectNull(0.3), titles.injectNull(0.2), numbers.injectNull(0.3),
                        words.injectNull(0.3), words.injectNull(0.3), numbers.injectNull(0.4))
                .as((email, employees, title, budget, industry, country, revenue) -> {
                    Map<String, String> m = new LinkedHashMap<>();
                    if (employees != null) m.put("numberofemployees", employees);
                    if (title != null) m.put("jobtitle", title);
                    if (budget != null) m.put("budget", budget);
                    if (industry != null) m.put("industry", industry);
                    if (country != null) m.put("country", country);
                    if (revenue != null) m.put("annualrevenue", revenue);
                    return new Contact(email, m, Set.of(), List.of(), null, List.of());
                });
    }

    @Property(tries = 1000, afterFailure = AfterFailureMode.SAMPLE_FIRST)
    void each_condition_holds_as_evaluated_exactly_when_it_matches(@ForAll("contacts") Contact contact) {
        assertThat(POLICIES.get(3).fitRules()).hasSize(POLICIES.get(0).fitRules().size() + 4);
        for (Policy policy : POLICIES) {
            List<Boolean> plain = new ArrayList<>();
            for (FitRule r : policy.fitRules()) plain.add(r.condition().matches(contact));
            for (Knockout k : policy.knockouts()) plain.add(k.condition().matches(contact));
            boolean[] fast = policy.evaluator().holdsAsEvaluated(contact);
            List<Boolean> evaluated = new ArrayList<>();
            for (boolean b : fast) evaluated.add(b);
            assertThat(evaluated).as("%s, %s", policy.name(), contact.properties()).isEqualTo(plain);
        }
    }

    @Property(tries = 1000)
    void day_of_is_the_utc_calendar_day(@ForAll("instants") Instant at) {
        assertThat(SignalTally.dayOf(at)).isEqualTo((int) at.atOffset(ZoneOffset.UTC).toLocalDate().toEpochDay());
    }

    @Provide
    Arbitrary<Instant> instants() {
        return Arbitraries.oneOf(
                Arbitraries.longs().between(-400L * 365 * 86_400, 400L * 365 * 86_400),
                Arbitraries.longs().between(-3 * 86_400, 3 * 86_400),
                Arbitraries.longs().between(-100_000L * 365 * 86_400, 100_000L * 365 * 86_400))
                .flatMap(s -> Arbitraries.integers().between(0, 999_999_999).map(n -> Instant.ofEpochSecond(s, n)));
    }
}
