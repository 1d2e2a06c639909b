package dev.gatehouse.onboarding;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One step of a checklist version, as an admin defined it.
 *
 * @param key the step's name, stable across versions: progress follows the key when users move to a new version
 * @param title what the user is asked to do
 * @param weight its share of the progress percentage, relative to the other steps that apply
 * @param required whether the checklist is complete without it; a required step cannot be skipped
 * @param markets the markets (ISO 3166-1 alpha-2) the step applies to; empty: every market
 * @param roles the product roles the step applies to; empty: every role
 * @param gates the product actions (such as {@code publish}) that need this step done first
 */
record Step(
        String key,
        String title,
        @Nullable String description,
        int weight,
        boolean required,
        List<String> markets,
        List<String> roles,
        List<String> gates) {

    Step {
        markets = List.copyOf(markets);
        roles = List.copyOf(roles);
        gates = List.copyOf(gates);
    }

    /**
     * Whether the step is on this user's checklist. A filtered step applies only when the audience names one of
     * its markets (roles): a caller that says nothing about the market sees only the steps for every market.
     */
    boolean appliesTo(Audience audience) {
        return matches(markets, audience.market()) && matches(roles, audience.role());
    }

    boolean guards(String gate) {
        return gates.contains(gate);
    }

    private static boolean matches(List<String> allowed, @Nullable String value) {
        return allowed.isEmpty() || (value != null && allowed.contains(value));
    }
}
