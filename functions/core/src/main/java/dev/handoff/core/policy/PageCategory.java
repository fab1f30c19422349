package dev.handoff.core.policy;

import java.util.List;

/** A page category (pricing, docs, ...) and the URL path prefixes that put a page in it. */
public record PageCategory(String name, List<String> pathPrefixes) {
    public PageCategory {
        pathPrefixes = List.copyOf(pathPrefixes);
    }

    boolean contains(String path) {
        for (String prefix : pathPrefixes) {
            if (path.startsWith(prefix)) return true;
        }
        return false;
    }
}
