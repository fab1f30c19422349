package dev.handoff.core.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * {@link Policy#categoryOf} as an index into the policy's page categories ({@code none} for a path in none), for the
 * evaluator, which asks it for every page view: half of a contact's signals.
 *
 * <p>Trying every prefix is what made page views the dearest signals. Every prefix starts with '/' (the loader sees
 * to it), so the second character is the first that tells them apart: the prefixes are grouped by it, and a path is compared only with the
 * group its own second character picks (and the prefixes shorter than two characters, which can match any path).
 * Within a group the policy's order is kept, so the first category that matches still wins.
 */
final class PathCategories {
    private static final int GROUPS = 128; // ASCII; a path whose second character is not ASCII is compared with all

    private final int none;
    private final String[][] prefixesBySecondChar;
    private final int[][] categoriesBySecondChar;
    private final String[] allPrefixes;
    private final int[] allCategories;

    PathCategories(List<PageCategory> categories) {
        List<String> prefixes = new ArrayList<>();
        List<Integer> categoryOfPrefix = new ArrayList<>();
        for (int c = 0; c < categories.size(); c++) {
            for (String prefix : categories.get(c).pathPrefixes()) {
                prefixes.add(prefix);
                categoryOfPrefix.add(c);
            }
        }
        this.none = categories.size();
        this.allPrefixes = prefixes.toArray(String[]::new);
        this.allCategories = categoryOfPrefix.stream().mapToInt(Integer::intValue).toArray();
        this.prefixesBySecondChar = new String[GROUPS][];
        this.categoriesBySecondChar = new int[GROUPS][];
        for (char second = 0; second < GROUPS; second++) {
            List<Integer> group = new ArrayList<>();
            for (int i = 0; i < allPrefixes.length; i++) {
                if (allPrefixes[i].length() < 2 || allPrefixes[i].charAt(1) == second) group.add(i);
            }
            prefixesBySecondChar[second] = group.stream().map(i -> allPrefixes[i]).toArray(String[]::new);
            categoriesBySecondChar[second] = group.stream().mapToInt(i -> allCategories[i]).toArray();
        }
    }

    /** The index of the number of categories: a path in none. */
    int none() {
        return none;
    }

    /** The index of the first category with a prefix of {@code path}, or {@link #none()}. */
    int indexOf(String path) {
        String[] prefixes = allPrefixes;
        int[] categories = allCategories;
        if (path.length() >= 2 && path.charAt(1) < GROUPS) {
            prefixes = prefixesBySecondChar[path.charAt(1)];
            categories = categoriesBySecondChar[path.charAt(1)];
        }
        for (int i = 0; i < prefixes.length; i++) {
            if (startsWith(path, prefixes[i])) return categories[i];
        }
        return none;
    }

    /**
     * String.startsWith, character by character: a path and a prefix mostly differ within the first few characters,
     * while String.startsWith (as of JDK 25 at least) hands a prefix of eight bytes or more ("/pricing") to a
     * vectorised compare whose call costs more than the whole comparison.
     */
    private static boolean startsWith(String s, String prefix) {
        int n = prefix.length();
        if (s.length() < n) return false;
        for (int i = 0; i < n; i++) {
            if (s.charAt(i) != prefix.charAt(i)) return false;
        }
        return true;
    }
}
