package dev.handoff.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.handoff.core.Contact;
import java.util.Map;
import java.util.Set;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** PRODUCT §5.2: the policy's routing section, bound with path-named errors like the rest of the file. */
class RoutingPolicyTest {

    /** The smallest valid policy, without routing. */
    private static final String MINIMAL = InvalidPolicyTest.MINIMAL;

    private static final String EXAMPLE = MINIMAL + """
            routing:
              pools:
                - id: enterprise
                  when: {property: numberofemployees, atLeast: 1000}
                  owners: [{id: ana, hubspotOwnerId: "1234", weight: 2}, {id: bo}]
                - id: everyone-else
                  owners: [{id: cy}, {id: dee}]
            """;

    private static Policy load(String yaml) throws InvalidPolicyException {
        return PolicyLoader.parse(yaml, "test.yaml");
    }

    private static List<String> errors(String yaml) {
        return catchThrowableOfType(InvalidPolicyException.class, () -> load(yaml)).errors();
    }

    @Test
    void the_example_of_the_contract_loads_with_its_pools_owners_and_weights() throws Exception {
        Routing routing = load(EXAMPLE).routing();
        assertThat(routing.pools()).extracting(Routing.Pool::id).containsExactly("enterprise", "everyone-else");
        assertThat(routing.pools().get(0).owners()).containsExactly(
                new Routing.Owner("ana", "1234", 2), new Routing.Owner("bo", null, 1));
        assertThat(routing.pools().get(1).when()).isNull();
        assertThat(routing.hubspotOwnerId("ana")).contains("1234");
        assertThat(routing.hubspotOwnerId("bo")).isEmpty();
    }

    @Test
    void a_contact_goes_to_the_first_pool_whose_condition_holds_and_else_to_the_default_pool() throws Exception {
        Routing routing = load(EXAMPLE).routing();
        Contact big = Contact.of("a@big.com").withProperties(Map.of("numberofemployees", "5000"));
        Contact small = Contact.of("b@small.com").withProperties(Map.of("numberofemployees", "20"));
        assertThat(routing.poolFor(big)).map(Routing.Pool::id).contains("enterprise");
        assertThat(routing.poolFor(small)).map(Routing.Pool::id).contains("everyone-else");
        assertThat(routing.poolFor(Contact.of("c@unknown.com"))).map(Routing.Pool::id).contains("everyone-else");
    }

    @Test
    void without_a_default_pool_a_contact_no_condition_takes_has_no_pool() throws Exception {
        Routing routing = load(MINIMAL + """
                routing:
                  pools:
                    - id: enterprise
                      when: {property: numberofemployees, atLeast: 1000}
                      owners: [{id: ana}]
                """).routing();
        assertThat(routing.poolFor(Contact.of("c@unknown.com"))).isEmpty();
    }

    @Test
    void a_policy_without_routing_has_none_and_so_do_the_presets() throws Exception {
        assertThat(load(MINIMAL).routing()).isEqualTo(Routing.NONE);
        for (String preset : PolicyLoader.PRESETS) assertThat(PolicyLoader.preset(preset).routing().isEmpty()).isTrue();
    }

    @Nested
    class Refused {
        @Test
        void every_problem_is_named_by_its_path() {
            assertThat(errors(MINIMAL + """
                    routing:
                      pools:
                        - id: enterprise
                          when: {property: numberofemployees, atLest: 1000}
                          owners: [{id: ana, weight: 0}, {id: "bad id"}, {id: ana}]
                        - id: enterprise
                          owners: []
                        - owners: [{id: cy, hubspotOwnerId: 1234}, {id: dee, hubspotOwnerId: "x1"}, {name: eve}]
                    """)).containsExactly(
                    "routing.pools[0].when.atLest: unknown field",
                    "routing.pools[0].when: needs a condition: atLeast/atMost/below, containsWord or oneOf with a property, or emailDomainIn",
                    "routing.pools[0].owners[0].weight: must be between 1 and 100",
                    "routing.pools[0].owners[1].id: an owner id may use letters, digits, '.', '@', '-' and '_' only (at most 64)",
                    "routing.pools[0].owners[2].id: 'ana' is listed twice in this pool",
                    "routing.pools[1].id: 'enterprise' is defined twice",
                    "routing.pools[1].owners: must not be empty",
                    "routing.pools[2].id: is required",
                    "routing.pools[2]: is never used: pool 'enterprise' before it has no when and takes every contact",
                    "routing.pools[2].owners[0].hubspotOwnerId: must be text (quote it: \"1234\")",
                    "routing.pools[2].owners[1].hubspotOwnerId: must be HubSpot's numeric owner id, quoted (\"1234\")",
                    "routing.pools[2].owners[2].name: unknown field",
                    "routing.pools[2].owners[2].id: is required");
        }

        @Test
        void routing_must_list_pools() {
            assertThat(errors(MINIMAL + "routing: {}\n")).containsExactly("routing.pools: is required");
            assertThat(errors(MINIMAL + "routing: [a]\n")).containsExactly("routing: must be a mapping with pools");
            assertThat(errors(MINIMAL + "routing:\n  pools: []\n  owners: 1\n"))
                    .containsExactlyInAnyOrder("routing.owners: unknown field", "routing.pools: must not be empty");
        }

        @Test
        void an_owner_in_two_pools_keeps_one_hubspot_owner_id() {
            assertThat(errors(MINIMAL + """
                    routing:
                      pools:
                        - id: a
                          when: {property: industry, oneOf: [software]}
                          owners: [{id: ana, hubspotOwnerId: "1"}]
                        - id: b
                          owners: [{id: ana, hubspotOwnerId: "2"}]
                    """)).containsExactly(
                    "routing.pools[1].owners[0].hubspotOwnerId: differs from the one given for 'ana' in an earlier pool");
        }
    }

    @Test
    void the_owners_of_all_pools_are_listed_once_each() throws Exception {
        Routing routing = load(MINIMAL + """
                routing:
                  pools:
                    - id: a
                      when: {property: industry, oneOf: [software]}
                      owners: [{id: ana}, {id: bo}]
                    - id: b
                      owners: [{id: bo}, {id: cy}]
                """).routing();
        assertThat(routing.owners().keySet()).containsExactly("ana", "bo", "cy");
        assertThat(Set.copyOf(routing.pool("b").orElseThrow().owners())).hasSize(2);
    }
}
