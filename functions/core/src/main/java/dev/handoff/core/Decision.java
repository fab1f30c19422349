package dev.handoff.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What the policy makes of a contact at one moment: both scores with their explanations, the knockouts that
 * apply, and the highest stage the rules qualify it for (empty when below MQL).
 */
public record Decision(
        int fit,
        int engagement,
        List<Contribution> fitBreakdown,
        List<Contribution> engagementBreakdown,
        List<String> knockouts,
        Qualification qualification,
        String policyVersion) {

    public Decision {
        fitBreakdown = List.copyOf(fitBreakdown);
        engagementBreakdown = List.copyOf(engagementBreakdown);
        knockouts = List.copyOf(knockouts);
    }

    public Optional<Qualification> qualified() {
        return Optional.ofNullable(qualification);
    }

    public boolean knockedOut() {
        return !knockouts.isEmpty();
    }

    /** Every rule that counted, fit first, clamping lines left out. */
    public List<Contribution> signals() {
        List<Contribution> all = new ArrayList<>(fitBreakdown.size() + engagementBreakdown.size());
        for (Contribution c : fitBreakdown) if (!c.isClamp()) all.add(c);
        for (Contribution c : engagementBreakdown) if (!c.isClamp()) all.add(c);
        return all;
    }

    /**
     * The rules that gave the most points, fit and engagement alike, best first (fit first on a tie): what an
     * alert shows sales. Rules that took points away are not reasons, and are left out.
     */
    public List<Contribution> topSignals(int n) {
        return signals().stream()
                .filter(c -> c.points() > 0)
                .sorted(Comparator.comparingInt(Contribution::points).reversed())
                .limit(n)
                .toList();
    }
}
