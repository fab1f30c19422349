package dev.handoff.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/** The core stays pure: no AWS SDK, no Lambda library, nothing but the JDK, SnakeYAML and itself. */
class CoreDependenciesArchTest {

    static final ArchRule CORE_IS_PURE = classes().that().resideInAPackage("dev.handoff.core..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "org.yaml.snakeyaml..", "dev.handoff.core..")
            .because("the core engine must run anywhere without AWS (software.amazon.., com.amazonaws..) or other libraries");

    @Test
    void the_core_depends_only_on_the_jdk_snakeyaml_and_itself() {
        JavaClasses core = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.handoff.core");
        assertThat(core.size()).as("classes imported from the core").isGreaterThan(20);
        assertThat(core.contain("dev.handoff.core.policy.Evaluator")).isTrue();
        CORE_IS_PURE.check(core);
    }

    @Test
    void the_rule_catches_a_class_that_reaches_outside() {
        JavaClasses fixture = new ClassFileImporter().importClasses(dev.handoff.core.archfixture.LeakyClass.class);
        assertThatThrownBy(() -> CORE_IS_PURE.check(fixture))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("org.junit.jupiter.api.Assertions");
    }

    @Test
    void no_aws_library_is_on_the_core_classpath() {
        ClassLoader loader = getClass().getClassLoader();
        assertThat(loader.getResource("software/amazon")).isNull();
        assertThat(loader.getResource("com/amazonaws")).isNull();
        for (String name : new String[] {"software.amazon.awssdk.core.SdkBytes",
                "software.amazon.awssdk.services.dynamodb.DynamoDbClient", "com.amazonaws.services.lambda.runtime.Context"}) {
            assertThatThrownBy(() -> Class.forName(name, false, loader)).isInstanceOf(ClassNotFoundException.class);
        }
    }
}
