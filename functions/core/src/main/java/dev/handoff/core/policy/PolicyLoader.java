package dev.handoff.core.policy;

import dev.handoff.core.FormType;
import dev.handoff.core.SignalType;
import dev.handoff.core.policy.Condition.DomainList;
import dev.handoff.core.policy.YamlObject.Item;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads a policy file into a {@link Policy}. The YAML is parsed by SnakeYAML (safe constructor, duplicate keys
 * refused) and bound field by field to typed values; every problem is collected with its path, and a file with
 * any problem is refused as a whole.
 */
public final class PolicyLoader {
    /** The presets that ship in {@code policies/}, and on the classpath under {@code policies/}. */
    public static final List<String> PRESETS = List.of("score-threshold", "sales-accepted", "sdr-meeting-booked");

    /** Form fields the form handler reads; a honeypot must not take one of their names. */
    public static final Set<String> FORM_FIELDS = Set.of("email", "firstname", "lastname", "company", "jobtitle",
            "numberofemployees", "annualrevenue", "budget", "industry", "country", "phone", "visitorId", "submissionId",
            "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "pageUrl", "referrer");

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern FORM_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*");
    private static final Pattern DOMAIN = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+");
    private static final Pattern CATEGORY = Pattern.compile("[a-z0-9][a-z0-9-]*");
    private static final Set<String> TOP = Set.of("name", "version", "description", "forms", "honeypotField", "domains",
            "pageCategories", "fit", "knockouts", "engagement", "mql", "sql", "fastTrack", "routing");
    static final Set<String> CONDITION_KEYS = Set.of("property", "atLeast", "atMost", "below", "containsWord", "oneOf", "emailDomainIn");

    private PolicyLoader() {}

    public static Policy load(Path file) throws InvalidPolicyException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidPolicyException(file.toString(), List.of("cannot read the file: " + e.getMessage()));
        }
        return parse(text, file.toString());
    }

    /** One of {@link #PRESETS}, from the classpath (the jars carry them). */
    public static Policy preset(String name) throws InvalidPolicyException {
        String resource = "policies/" + name + ".yaml";
        try (InputStream in = PolicyLoader.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new InvalidPolicyException(resource, List.of("no such preset; the presets are " + String.join(", ", PRESETS)));
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), resource);
        } catch (IOException e) {
            throw new InvalidPolicyException(resource, List.of("cannot read the preset: " + e.getMessage()));
        }
    }

    public static Policy parse(String yamlText, String source) throws InvalidPolicyException {
        Object tree;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            options.setMaxAliasesForCollections(20);
            options.setCodePointLimit(1024 * 1024);
            tree = new Yaml(new SafeConstructor(options)).load(yamlText);
        } catch (MarkedYAMLException e) {
            throw new InvalidPolicyException(source, List.of(describe(e)));
        } catch (YAMLException e) {
            throw new InvalidPolicyException(source, List.of("not valid YAML: " + e.getMessage()));
        }
        List<String> errors = new ArrayList<>();
        Policy policy = new Binder(errors).bind(tree);
        if (!errors.isEmpty() || policy == null) throw new InvalidPolicyException(source, errors);
        return policy;
    }

    private static String describe(MarkedYAMLException e) {
        Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
        String where = mark == null ? "" : "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ": ";
        String problem = e.getProblem() == null ? e.getMessage() : e.getProblem();
        if (problem.startsWith("found duplicate key")) return where + "duplicate key " + problem.substring("found duplicate key".length()).trim();
        return where + "not valid YAML: " + problem;
    }

    /** Binds one parsed tree; errors accumulate in the shared list. */
    private static final class Binder {
        private final List<String> errors;
        private Set<String> pageCategoryNames = Set.of();
        private final Map<DomainList, Set<String>> domainLists = new LinkedHashMap<>();

        Binder(List<String> errors) {
            this.errors = errors;
        }

        Policy bind(Object tree) {
            YamlObject root = YamlObject.of(tree, "", errors, "a mapping with name, version, forms, fit, engagement, mql and sql");
            if (root == null) return null;
            root.rejectUnknown(TOP);
            String name = root.string("name", true);
            String version = root.string("version", true);
            root.string("description", false);
            Map<String, URI> redirects = new LinkedHashMap<>();
            Map<String, FormType> forms = forms(root, redirects);
            String honeypot = root.string("honeypotField", false);
            if (honeypot != null && FORM_FIELDS.contains(honeypot)) {
                root.error("honeypotField", "must not be a field forms use (" + honeypot + ")");
            }
            domains(root);
            List<PageCategory> categories = pageCategories(root);
            Set<String> ruleIds = new HashSet<>();
            List<FitRule> fitRules = fitRules(root, ruleIds);
            List<Knockout> knockouts = knockouts(root);
            Integer[] window = new Integer[2]; // windowDays, halfLifeDays
            List<EngagementRule> engagementRules = engagement(root, ruleIds, window);
            Integer mqlMinFit = null;
            YamlObject mql = root.object("mql", true, "a mapping with minFit");
            if (mql != null) {
                mql.rejectUnknown(Set.of("minFit"));
                mqlMinFit = mql.wholeNumber("minFit", true, 0, 100);
            }
            SqlMode mode = null;
            Integer minEngagement = null;
            YamlObject sql = root.object("sql", true, "a mapping with mode");
            if (sql != null) {
                sql.rejectUnknown(Set.of("mode", "minEngagement"));
                String m = sql.string("mode", true);
                if (m != null) {
                    mode = SqlMode.fromId(m);
                    if (mode == null) sql.error("mode", "must be one of " + SqlMode.allIds());
                }
                if (mode == SqlMode.SCORE_THRESHOLD) {
                    minEngagement = sql.wholeNumber("minEngagement", true, 0, 100);
                } else if (mode != null && sql.has("minEngagement")) {
                    sql.error("minEngagement", "only used by mode score-threshold");
                }
            }
            FastTrack fastTrack = fastTrack(root);
            Routing routing = new RoutingBinder(errors, this::condition, CONDITION_KEYS).bind(root);
            if (!errors.isEmpty()) return null;
            return new Policy(name, version, forms, redirects, honeypot,
                    domainLists.get(DomainList.TARGET_ACCOUNTS), domainLists.get(DomainList.COMPETITORS),
                    domainLists.get(DomainList.FREE_MAIL), categories, fitRules, knockouts, window[0],
                    window[1] == null ? 0 : window[1], engagementRules,
                    mqlMinFit, mode, minEngagement, fastTrack).withRouting(routing);
        }

        /**
         * The form catalogue: {@code formId: type}, or {@code formId: {type: T, redirect: URL}} for a form that
         * sends a plain HTML post on to a thank-you page (PRODUCT §2.1). Redirects go into {@code redirects}.
         */
        private Map<String, FormType> forms(YamlObject root, Map<String, URI> redirects) {
            Map<String, FormType> forms = new LinkedHashMap<>();
            YamlObject f = root.object("forms", true, "a mapping of form id to form type, or to {type, redirect}");
            if (f == null) return forms;
            if (f.raw().isEmpty()) f.error(null, "must list at least one form");
            for (Map.Entry<String, Object> e : f.raw().entrySet()) {
                String id = e.getKey();
                if (!FORM_ID.matcher(id).matches()) {
                    f.error(id, "a form id may use letters, digits, '-' and '_' only");
                    continue;
                }
                Object value = e.getValue();
                String typeName = value instanceof String s ? s : null;
                String typePath = id;
                if (value instanceof Map<?, ?>) {
                    YamlObject entry = f.object(id, true, "a form type, or a mapping with type and redirect");
                    if (entry == null) continue;
                    entry.rejectUnknown(Set.of("type", "redirect"));
                    typeName = entry.string("type", true);
                    typePath = id + ".type";
                    String redirect = entry.string("redirect", false);
                    if (redirect != null) {
                        URI uri = redirectUri(redirect.trim());
                        if (uri == null) entry.error("redirect", "must be an absolute http:// or https:// URL");
                        else redirects.put(id, uri);
                    }
                    if (typeName == null) continue;
                }
                FormType type = typeName == null ? null : FormType.fromId(typeName.trim()).orElse(null);
                if (type == null) f.error(typePath, "must be one of " + FormType.allIds());
                else forms.put(id, type);
            }
            return forms;
        }

        private static URI redirectUri(String text) {
            try {
                URI uri = new URI(text);
                boolean web = "https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme());
                return web && uri.getHost() != null && !uri.getHost().isEmpty() ? uri : null;
            } catch (URISyntaxException e) {
                return null;
            }
        }

        private void domains(YamlObject root) {
            for (DomainList d : DomainList.values()) domainLists.put(d, Set.of());
            YamlObject d = root.object("domains", false, "a mapping with targetAccounts, competitors and freeMail");
            if (d == null) return;
            d.rejectUnknown(Set.of("targetAccounts", "competitors", "freeMail"));
            for (DomainList list : DomainList.values()) {
                List<Item> items = d.list(list.key(), false, false);
                if (items == null) continue;
                Set<String> out = new LinkedHashSet<>();
                for (Item item : items) {
                    String v = item.value() instanceof String s ? s.trim().toLowerCase(Locale.ROOT) : null;
                    if (v == null || !DOMAIN.matcher(v).matches()) errors.add(item.path() + ": must be a domain like example.com");
                    else out.add(v);
                }
                domainLists.put(list, out);
            }
        }

        private List<PageCategory> pageCategories(YamlObject root) {
            List<PageCategory> out = new ArrayList<>();
            Set<String> names = new LinkedHashSet<>();
            List<Item> items = root.list("pageCategories", false, false);
            if (items != null) {
                for (Item item : items) {
                    YamlObject c = YamlObject.of(item.value(), item.path(), errors, "a mapping with category and pathPrefixes");
                    if (c == null) continue;
                    c.rejectUnknown(Set.of("category", "pathPrefixes"));
                    String name = c.string("category", true);
                    if (name != null && !CATEGORY.matcher(name).matches()) {
                        c.error("category", "may use lower-case letters, digits and '-' only");
                        name = null;
                    } else if (name != null && !names.add(name)) {
                        c.error("category", "'" + name + "' is defined twice");
                        name = null;
                    }
                    List<Item> prefixes = c.list("pathPrefixes", true, true);
                    List<String> paths = new ArrayList<>();
                    if (prefixes != null) {
                        for (Item p : prefixes) {
                            if (p.value() instanceof String s && s.startsWith("/")) paths.add(s);
                            else errors.add(p.path() + ": must be a URL path starting with /");
                        }
                    }
                    if (name != null && !paths.isEmpty()) out.add(new PageCategory(name, paths));
                }
            }
            this.pageCategoryNames = names;
            return out;
        }

        private List<FitRule> fitRules(YamlObject root, Set<String> ruleIds) {
            List<FitRule> out = new ArrayList<>();
            YamlObject fit = root.object("fit", true, "a mapping with rules");
            if (fit == null) return out;
            fit.rejectUnknown(Set.of("rules"));
            List<Item> items = fit.list("rules", true, false);
            if (items == null) return out;
            List<List<String>> unlessPaths = new ArrayList<>();
            Set<String> fitIds = new HashSet<>();
            for (Item item : items) {
                YamlObject r = YamlObject.of(item.value(), item.path(), errors, "a mapping with id, points and a condition");
                if (r == null) continue;
                Set<String> allowed = new HashSet<>(CONDITION_KEYS);
                allowed.addAll(Set.of("id", "points", "unless"));
                r.rejectUnknown(allowed);
                String id = ruleId(r, ruleIds);
                if (id != null) fitIds.add(id);
                Integer points = r.wholeNumber("points", true, -100, 100);
                Condition condition = condition(r);
                List<String> unless = r.strings("unless", false, true);
                if (id != null && points != null && condition != null) {
                    out.add(new FitRule(id, condition, points, unless == null ? List.of() : unless));
                    unlessPaths.add(unless == null ? List.of() : paths(r.at("unless"), unless.size()));
                }
            }
            // "unless" may name rules further down, so it is checked once all are read; against every declared id,
            // so that a rule refused for another reason does not also make each "unless" naming it an error.
            for (int i = 0; i < out.size(); i++) {
                List<String> unless = out.get(i).unless();
                for (int j = 0; j < unless.size(); j++) {
                    String ref = unless.get(j);
                    if (!fitIds.contains(ref)) errors.add(unlessPaths.get(i).get(j) + ": no fit rule has id '" + ref + "'");
                    else if (ref.equals(out.get(i).id())) errors.add(unlessPaths.get(i).get(j) + ": a rule cannot cancel itself");
                }
            }
            return out;
        }

        private List<Knockout> knockouts(YamlObject root) {
            List<Knockout> out = new ArrayList<>();
            List<Item> items = root.list("knockouts", false, false);
            if (items == null) return out;
            Set<String> ids = new HashSet<>();
            for (Item item : items) {
                YamlObject k = YamlObject.of(item.value(), item.path(), errors, "a mapping with id and a condition");
                if (k == null) continue;
                Set<String> allowed = new HashSet<>(CONDITION_KEYS);
                allowed.add("id");
                k.rejectUnknown(allowed);
                String id = ruleId(k, ids);
                Condition condition = condition(k);
                if (id != null && condition != null) out.add(new Knockout(id, condition));
            }
            return out;
        }

        private List<EngagementRule> engagement(YamlObject root, Set<String> ruleIds, Integer[] window) {
            List<EngagementRule> out = new ArrayList<>();
            YamlObject e = root.object("engagement", true, "a mapping with windowDays and rules");
            if (e == null) return out;
            e.rejectUnknown(Set.of("windowDays", "halfLifeDays", "rules"));
            window[0] = e.wholeNumber("windowDays", true, 1, 3650);
            window[1] = e.wholeNumber("halfLifeDays", false, 0, 3650);
            List<Item> items = e.list("rules", true, false);
            if (items == null) return out;
            for (Item item : items) {
                YamlObject r = YamlObject.of(item.value(), item.path(), errors, "a mapping with id, signal and points");
                if (r == null) continue;
                EngagementRule rule = engagementRule(r, ruleIds);
                if (rule != null) out.add(rule);
            }
            return out;
        }

        /** One engagement rule: its kind (minCount or not), its match (by signal type and filters), its points. */
        private EngagementRule engagementRule(YamlObject r, Set<String> ruleIds) {
            r.rejectUnknown(Set.of("id", "signal", "points", "cap", "minCount", "halfLifeDays", "categories", "assetTypes",
                    "assetTypesExcept", "gated", "formTypes"));
            String id = ruleId(r, ruleIds);
            SignalType signal = null;
            String s = r.string("signal", true);
            if (s != null) {
                signal = SignalType.fromId(s).orElse(null);
                if (signal == null) r.error("signal", "must be one of " + SignalType.allIds());
            }
            Integer points = r.wholeNumber("points", true, -100, 100);
            Integer cap = r.wholeNumber("cap", false, 1, 100);
            Integer minCount = r.wholeNumber("minCount", false, 1, 10_000);
            Integer halfLifeDays = r.wholeNumber("halfLifeDays", false, 0, 3650);
            if (points != null && cap != null && cap < Math.abs(points)) {
                r.error("cap", "is below the rule's points (" + points + "), so the rule could never award them");
            }
            if (cap != null && minCount != null) {
                r.error("cap", "not used with minCount: such a rule awards its points once");
            }
            SignalMatch match = signal == null ? null : match(r, signal);
            if (id == null || match == null || points == null || (cap == null && r.has("cap"))
                    || (minCount == null && r.has("minCount")) || (halfLifeDays == null && r.has("halfLifeDays"))) {
                return null;
            }
            return minCount != null
                    ? new EngagementRule.OnceAtLeast(id, match, points, minCount, halfLifeDays)
                    : new EngagementRule.PerSignal(id, match, points, cap, halfLifeDays);
        }

        /** What signals of that type the rule counts: a filter given for another type is an error. */
        private SignalMatch match(YamlObject r, SignalType signal) {
            int before = errors.size();
            Set<String> categories = onlyFor(r, "categories", signal, SignalType.PAGE_VIEWED);
            if (categories != null) {
                int i = 0;
                for (String c : categories) {
                    if (!pageCategoryNames.contains(c)) {
                        errors.add(r.at("categories") + "[" + i + "]: no page category '" + c + "' in pageCategories");
                    }
                    i++;
                }
            }
            Set<String> assetTypes = lower(onlyFor(r, "assetTypes", signal, SignalType.CONTENT_DOWNLOADED));
            Set<String> assetTypesExcept = lower(onlyFor(r, "assetTypesExcept", signal, SignalType.CONTENT_DOWNLOADED));
            Boolean gated = r.bool("gated");
            if (gated != null && signal != SignalType.CONTENT_DOWNLOADED) {
                r.error("gated", "only applies to signal content-downloaded");
            }
            Set<FormType> formTypes = null;
            Set<String> ft = onlyFor(r, "formTypes", signal, SignalType.FORM_SUBMITTED);
            if (ft != null) formTypes = formTypes(ft, r.at("formTypes"));
            if (errors.size() > before) return null;
            return switch (signal) {
                case PAGE_VIEWED -> new SignalMatch.PageViews(categories);
                case CONTENT_DOWNLOADED -> new SignalMatch.Downloads(assetTypes, assetTypesExcept, gated);
                case FORM_SUBMITTED -> new SignalMatch.Forms(formTypes);
                case SESSION_STARTED, EMAIL_OPENED, EMAIL_CLICKED, WEBINAR_ATTENDED, MEETING_BOOKED,
                        SALES_ACTIVITY_LOGGED, SALES_ACCEPTED -> new SignalMatch.OfType(signal);
            };
        }

        private FastTrack fastTrack(YamlObject root) {
            YamlObject f = root.object("fastTrack", false, "a mapping with highIntentForm and targetAccountPageViews");
            if (f == null) return new FastTrack(null, null);
            f.rejectUnknown(Set.of("highIntentForm", "targetAccountPageViews"));
            FastTrack.HighIntentForm hif = null;
            YamlObject h = f.object("highIntentForm", false, "a mapping with formTypes and minFit");
            if (h != null) {
                h.rejectUnknown(Set.of("formTypes", "minFit"));
                List<String> types = h.strings("formTypes", true, true);
                Set<FormType> formTypes = types == null ? null : formTypes(new LinkedHashSet<>(types), h.at("formTypes"));
                Integer minFit = h.wholeNumber("minFit", true, 0, 100);
                if (formTypes != null && minFit != null) hif = new FastTrack.HighIntentForm(formTypes, minFit);
            }
            FastTrack.TargetAccountPageViews tav = null;
            YamlObject t = f.object("targetAccountPageViews", false, "a mapping with categories, minViews and withinDays");
            if (t != null) {
                t.rejectUnknown(Set.of("categories", "minViews", "withinDays"));
                List<String> cats = t.strings("categories", true, true);
                if (cats != null) {
                    for (int i = 0; i < cats.size(); i++) {
                        if (!pageCategoryNames.contains(cats.get(i))) {
                            errors.add(t.at("categories") + "[" + i + "]: no page category '" + cats.get(i) + "' in pageCategories");
                        }
                    }
                }
                Integer minViews = t.wholeNumber("minViews", true, 1, 10_000);
                Integer withinDays = t.wholeNumber("withinDays", true, 1, 3650);
                if (cats != null && minViews != null && withinDays != null) {
                    tav = new FastTrack.TargetAccountPageViews(new LinkedHashSet<>(cats), minViews, withinDays);
                }
            }
            return new FastTrack(hif, tav);
        }

        /** The one condition a fit rule or knockout tests. */
        private Condition condition(YamlObject r) {
            List<String> kinds = new ArrayList<>();
            if (r.has("atLeast") || r.has("atMost") || r.has("below")) kinds.add("atLeast/atMost/below");
            if (r.has("containsWord")) kinds.add("containsWord");
            if (r.has("oneOf")) kinds.add("oneOf");
            if (r.has("emailDomainIn")) kinds.add("emailDomainIn");
            if (kinds.isEmpty()) {
                r.error(null, "needs a condition: atLeast/atMost/below, containsWord or oneOf with a property, or emailDomainIn");
                return null;
            }
            if (kinds.size() > 1) {
                r.error(null, "give one condition, not several (" + String.join(", ", kinds) + ")");
                return null;
            }
            String kind = kinds.get(0);
            if (kind.equals("emailDomainIn")) {
                if (r.has("property")) r.error("property", "not used with emailDomainIn");
                String list = r.string("emailDomainIn", true);
                if (list == null) return null;
                DomainList d = DomainList.fromKey(list);
                if (d == null) {
                    r.error("emailDomainIn", "must be one of targetAccounts, competitors, freeMail");
                    return null;
                }
                return new Condition.EmailDomainIn(d, domainLists.getOrDefault(d, Set.of()));
            }
            String property = r.string("property", false);
            if (property == null && !r.has("property")) r.error("property", "is required with " + kind);
            switch (kind) {
                case "containsWord" -> {
                    List<String> words = r.strings("containsWord", true, true);
                    return property == null || words == null ? null : new Condition.ContainsWord(property, words);
                }
                case "oneOf" -> {
                    List<String> values = r.strings("oneOf", true, true);
                    return property == null || values == null ? null : new Condition.OneOf(property, new LinkedHashSet<>(values));
                }
                default -> {
                    Double atLeast = r.number("atLeast");
                    Double atMost = r.number("atMost");
                    Double below = r.number("below");
                    if (atLeast != null && atMost != null && atLeast > atMost) {
                        r.error(null, "atLeast (" + fmt(atLeast) + ") must not exceed atMost (" + fmt(atMost) + ")");
                        return null;
                    }
                    if (atLeast != null && below != null && atLeast >= below) {
                        r.error(null, "atLeast (" + fmt(atLeast) + ") must be less than below (" + fmt(below) + ")");
                        return null;
                    }
                    boolean given = r.has("atLeast") == (atLeast != null) && r.has("atMost") == (atMost != null) && r.has("below") == (below != null);
                    return property == null || !given ? null : new Condition.NumberRange(property, atLeast, atMost, below);
                }
            }
        }

        private String ruleId(YamlObject r, Set<String> taken) {
            String id = r.string("id", true);
            if (id == null) return null;
            if (!ID.matcher(id).matches()) {
                r.error("id", "may use letters, digits, '.', '-' and '_' only");
                return null;
            }
            if (!taken.add(id)) {
                r.error("id", "'" + id + "' is used by another rule");
                return null;
            }
            return id;
        }

        private Set<String> onlyFor(YamlObject r, String key, SignalType signal, SignalType required) {
            if (!r.has(key)) return null;
            if (signal != null && signal != required) {
                r.error(key, "only applies to signal " + required.id());
                return null;
            }
            List<String> values = r.strings(key, false, true);
            return values == null ? null : new LinkedHashSet<>(values);
        }

        private Set<FormType> formTypes(Set<String> names, String path) {
            Set<FormType> out = EnumSet.noneOf(FormType.class);
            int i = 0;
            for (String n : names) {
                FormType t = FormType.fromId(n).orElse(null);
                if (t == null) errors.add(path + "[" + i + "]: must be one of " + FormType.allIds());
                else out.add(t);
                i++;
            }
            return out.size() == names.size() ? out : null;
        }

        private static Set<String> lower(Set<String> s) {
            if (s == null) return null;
            Set<String> out = new LinkedHashSet<>();
            for (String v : s) out.add(v.toLowerCase(Locale.ROOT));
            return out;
        }

        private static List<String> paths(String base, int n) {
            List<String> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) out.add(base + "[" + i + "]");
            return out;
        }

        private static String fmt(double d) {
            return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
        }
    }
}
