package dev.handoff.aws;

import dev.handoff.core.policy.InvalidPolicyException;
import dev.handoff.core.policy.Policy;
import dev.handoff.core.policy.PolicyLoader;
import java.nio.file.Path;
import java.util.Map;

/**
 * A function's configuration, read once at init from its environment. A missing variable or an invalid policy
 * stops the function from starting, with a message that names what to fix.
 */
public final class Env {
    public static final String TABLE_NAME = "TABLE_NAME";
    public static final String POLICY = "POLICY";
    public static final String POLICY_FILE = "POLICY_FILE";
    public static final String ALERTS_TOPIC_ARN = "ALERTS_TOPIC_ARN";
    public static final String EVENT_BUS_NAME = "EVENT_BUS_NAME";
    /** The Secrets Manager secret whose string is the contact-hash key (template.yaml's ContactHashKey). */
    public static final String CONTACT_HASH_SECRET_ARN = "CONTACT_HASH_SECRET_ARN";
    /** The contact-hash key itself, where there is no Secrets Manager (the local stack may set it). */
    public static final String CONTACT_HASH_KEY = "CONTACT_HASH_KEY";
    /** Set by Lambda in every function's environment. */
    static final String LAMBDA_FUNCTION_NAME = "AWS_LAMBDA_FUNCTION_NAME";
    /** Off Lambda, without a key: lines still correlate, and say nothing anyone could not compute. */
    static final String DEVELOPMENT_KEY = "handoff-development-key-not-secret";

    private final Map<String, String> vars;

    public Env(Map<String, String> vars) {
        this.vars = Map.copyOf(vars);
    }

    public static Env system() {
        return new Env(System.getenv());
    }

    public String require(String name) {
        String v = vars.get(name);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException("missing environment variable " + name + " (see template.yaml)");
        }
        return v;
    }

    public String get(String name, String fallback) {
        String v = vars.get(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    /**
     * The keyed hash that names contacts in the logs, its key read once: from the secret named by
     * {@code CONTACT_HASH_SECRET_ARN} (on AWS), else from {@code CONTACT_HASH_KEY}. On Lambda one of them must be
     * set (the function does not start without); elsewhere (tests, the local stack) a fixed development key stands in.
     */
    public ContactHash contactHash() {
        String arn = vars.get(CONTACT_HASH_SECRET_ARN);
        if (arn != null && !arn.isBlank()) return ContactHash.withKey(SecretsManagerKey.read(arn.strip()));
        String key = vars.get(CONTACT_HASH_KEY);
        if (key != null && !key.isBlank()) return ContactHash.withKey(key);
        if (vars.get(LAMBDA_FUNCTION_NAME) != null) require(CONTACT_HASH_SECRET_ARN);
        return ContactHash.withKey(DEVELOPMENT_KEY);
    }

    /** The function's log: stdout, contacts hashed with {@link #contactHash()}. */
    public Log log() {
        return Log.stdout(contactHash());
    }

    /**
     * The policy: {@code POLICY_FILE} (a path) when set, else the preset named by {@code POLICY} (default
     * {@code score-threshold}) from the jar. An invalid policy refuses to start, listing every problem.
     */
    public Policy policy() {
        try {
            String file = vars.get(POLICY_FILE);
            if (file != null && !file.isBlank()) {
                if (!java.nio.file.Files.isRegularFile(Path.of(file))) throw new IllegalStateException(POLICY_FILE + " not found: " + file);
                return PolicyLoader.load(Path.of(file));
            }
            return PolicyLoader.preset(get(POLICY, "score-threshold"));
        } catch (InvalidPolicyException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
