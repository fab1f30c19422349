package dev.handoff.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CfnYamlTest {
    @Test
    void shortFormIntrinsicsBecomeTheLongForm() {
        Map<String, Object> doc = CfnYaml.parse("""
                A: !Ref Table
                B: !GetAtt Table.StreamArn
                C: !Sub ${Table.Arn}/stream/*
                D: !If [HasEmail, !Ref Email, !Ref AWS::NoValue]
                E: !Not [!Equals [!Ref Email, ""]]
                F: !Sub
                  - arn:${Partition}:x
                  - Partition: !Ref AWS::Partition
                G: !GetAtt [Queue, Arn]
                H: !Condition HasEmail
                I: !Join [",", [a, b]]
                """);
        assertThat(doc.get("A")).isEqualTo(Map.of("Ref", "Table"));
        assertThat(doc.get("B")).isEqualTo(Map.of("Fn::GetAtt", List.of("Table", "StreamArn")));
        assertThat(doc.get("C")).isEqualTo(Map.of("Fn::Sub", "${Table.Arn}/stream/*"));
        assertThat(doc.get("D")).isEqualTo(Map.of("Fn::If",
                List.of("HasEmail", Map.of("Ref", "Email"), Map.of("Ref", "AWS::NoValue"))));
        assertThat(doc.get("E")).isEqualTo(Map.of("Fn::Not", List.of(Map.of("Fn::Equals", List.of(Map.of("Ref", "Email"), "")))));
        assertThat(doc.get("F")).isEqualTo(Map.of("Fn::Sub",
                List.of("arn:${Partition}:x", Map.of("Partition", Map.of("Ref", "AWS::Partition")))));
        assertThat(doc.get("G")).isEqualTo(Map.of("Fn::GetAtt", List.of("Queue", "Arn")));
        assertThat(doc.get("H")).isEqualTo(Map.of("Condition", "HasEmail"));
        assertThat(doc.get("I")).isEqualTo(Map.of("Fn::Join", List.of(",", List.of("a", "b"))));
    }

    @Test
    void referencesFindRefsGetAttsAndSubVariablesButNotPseudoParameters() {
        Map<String, Object> doc = CfnYaml.parse("""
                R:
                  - !Sub arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:${Group}:*
                  - !Sub ${Table.Arn}/stream/*
                  - !GetAtt Queue.Arn
                  - !Ref Topic
                """);
        assertThat(SamTemplate.references(doc.get("R"))).isEqualTo(Set.of("Group", "Table", "Queue", "Topic"));
    }

    @Test
    void duplicateKeysAreAnError() {
        assertThatThrownBy(() -> CfnYaml.parse("A: 1\nA: 2\n")).hasMessageContaining("found duplicate key A");
    }

    @Test
    void theClassFileReaderFindsStringConstants() throws Exception {
        try (var in = CfnYamlTest.class.getResourceAsStream("CfnYamlTest.class")) {
            assertThat(FunctionJar.constantPoolStrings(in.readAllBytes())).contains("found duplicate key A", "A: 1\nA: 2\n");
        }
    }
}
