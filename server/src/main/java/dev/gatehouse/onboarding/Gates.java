package dev.gatehouse.onboarding;

import dev.gatehouse.identity.UserDirectory;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Service;

/**
 * Gate checks for the product's backend: before a gated action (publishing, checkout), is every step guarding it
 * done for this user? The decision itself is {@link GateDecisions}'.
 */
@Service
class Gates {

    private final Checklists checklists;
    private final UserDirectory users;
    private final GateDecisions decisions;

    Gates(Checklists checklists, UserDirectory users, OnboardingSettings settings, MeterRegistry meters) {
        this.checklists = checklists;
        this.users = users;
        this.decisions = new GateDecisions(settings.gating(), meters);
    }

    /** @throws dev.gatehouse.platform.ApiException 404 for an unknown user, else as {@link GateDecisions#decide} */
    GateDecision check(OnboardingRequests.GateCheck request) {
        return decisions.decide(request.gate(), request.user(), () -> {
            if (users.byId(request.user()).isEmpty()) throw OnboardingFailures.userNotFound();
            return checklists.of(request.user(), request.audience());
        });
    }
}
