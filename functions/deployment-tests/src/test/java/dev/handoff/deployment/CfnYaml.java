package dev.handoff.deployment;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads a CloudFormation/SAM template. The short-form intrinsics ({@code !Ref X}, {@code !GetAtt A.B},
 * {@code !Sub ...}, {@code !If [...]} and the rest) are local YAML tags that a plain YAML loader refuses; here each
 * becomes the long form CloudFormation itself would see: {@code {Ref: X}}, {@code {Fn::GetAtt: [A, B]}},
 * {@code {Fn::Sub: ...}}, so the tests need to know one form only.
 */
final class CfnYaml {
    private CfnYaml() {}

    static Map<String, Object> load(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(reader);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> parse(Reader reader) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        Object document = new Yaml(new CfnConstructor(options)).load(reader);
        if (!(document instanceof Map)) throw new IllegalArgumentException("a template is a YAML mapping");
        return (Map<String, Object>) document;
    }

    static Map<String, Object> parse(String text) {
        return parse(new java.io.StringReader(text));
    }

    /** Every local tag ({@code !Name}) is an intrinsic function: {@code Ref}, {@code Condition} or {@code Fn::Name}. */
    private static final class CfnConstructor extends SafeConstructor {
        CfnConstructor(LoaderOptions options) {
            super(options);
            yamlMultiConstructors.put("!", new ConstructIntrinsic());
        }

        private final class ConstructIntrinsic extends AbstractConstruct {
            @Override
            public Object construct(Node node) {
                String name = node.getTag().getValue().substring(1);
                Object value = switch (node) {
                    case ScalarNode scalar -> constructScalar(scalar);
                    case SequenceNode sequence -> constructSequence(sequence);
                    case MappingNode mapping -> constructMapping(mapping);
                    default -> throw new IllegalArgumentException("unexpected node for !" + name + ": " + node);
                };
                if (name.equals("GetAtt") && value instanceof String dotted) {
                    int dot = dotted.indexOf('.');
                    if (dot < 0) throw new IllegalArgumentException("!GetAtt needs Resource.Attribute: " + dotted);
                    value = List.of(dotted.substring(0, dot), dotted.substring(dot + 1));
                }
                String key = name.equals("Ref") || name.equals("Condition") ? name : "Fn::" + name;
                return Map.of(key, value);
            }
        }
    }
}
