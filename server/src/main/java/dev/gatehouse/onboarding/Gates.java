package dev.gatehouse.onboarding;

import dev.gatehouse.client.flags.FlagContext;
import dev.gatehouse.flags.FeatureFlags;
import dev.gatehouse.identity.UserDirectory;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/**
 * Gate checks for the product's backend: before a gated action (publishing, checkout), is every step guarding it
 * done for this user? The order of the decision is {@link GateDecisions}'; the kill switch and the bypass flag are
 * the flags module's, answered from its per-node copy (no database query while its change feed is fresh).
 */
@Service
class Gates {

    /** The flag context property naming the gate, so a bypass flag can be limited to some gates. */
    static final String GATE = "gate";

    /** The flag context property naming the user's product role. */
    static final String ROLE = "role";

    private final Checklists checklists;
    private final UserDirectory users;
    private final FeatureFlags flags;
    private final OnboardingSettings.Gating settings;
    private final GateDecisions decisions;

    Gates(
            Checklists checklists,
            UserDirectory users,
            FeatureFlags flags,
            OnboardingSettings settings,
            MeterRegistry meters) {
        this.checklists = checklists;
        this.users = users;
        this.flags = flags;
        this.settings = settings.gating();
        this.decisions = new GateDecisions(settings.gating(), meters);
    }

    /** @throws dev.gatehouse.platform.ApiException 404 for an unknown user, else as {@link GateDecisions#decide} */
    GateDecision check(OnboardingRequests.GateCheck request) {
        Audience audience = request.audience();
        return decisions.decide(request.gate(), request.user(), () -> switches(request, audience), () -> {
            if (users.byId(request.user()).isEmpty()) throw OnboardingFailures.userNotFound();
            return checklists.of(request.user(), audience);
        });
    }

    private @Nullable GateBypass switches(OnboardingRequests.GateCheck request, Audience audience) {
        if (flags.killSwitchActive(settings.killSwitch())) return GateBypass.KILL_SWITCH;
        FlagContext context = FlagContext.builder()
                .userId(request.user().toString())
                .set(FlagContext.MARKET, audience.market())
                .set(ROLE, audience.role())
                .set(GATE, request.gate())
                .build();
        return flags.isEnabled(settings.bypassFlag(), context) ? GateBypass.FLAG : null;
    }
}
